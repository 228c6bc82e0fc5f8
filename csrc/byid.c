/* The answer's dicts by node id (see native.h). */

#include "native.h"

#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
#define Py_BUILD_CORE 1
#include "internal/pycore_dict.h" /* the layout of a dict's table, for entry_value */
#undef Py_BUILD_CORE

/* Where entry k of a combined dict keeps its value, if its key is `key`; NULL otherwise.
   CPython 3.11 keeps a dict's entries in insertion order after its index. */
static PyObject **entry_value(PyObject *dict, Py_ssize_t k, PyObject *key) {
    PyDictObject *d = (PyDictObject *)dict;
    PyDictKeysObject *keys = d->ma_keys;
    if (d->ma_values != NULL || k >= keys->dk_nentries)
        return NULL;
    if (DK_IS_UNICODE(keys)) {
        PyDictUnicodeEntry *entry = &DK_UNICODE_ENTRIES(keys)[k];
        return entry->me_key == key ? &entry->me_value : NULL;
    }
    PyDictKeyEntry *entry = &DK_ENTRIES(keys)[k];
    return entry->me_key == key ? &entry->me_value : NULL;
}
#else
static PyObject **entry_value(PyObject *dict, Py_ssize_t k, PyObject *key) {
    return NULL; /* another layout: PyDict_SetItem */
}
#endif

/* {ids[k]: make(column, k)}. With `like` (a dict of the same ids in the same order) it
   starts as a copy of like (one copy of its table) whose values are then written in
   place: no probe of the hash table per id. The copy is new, so no one sees it change. */
PyObject *dict_by_id(PyObject *ids, Make make, const double *column, PyObject *like) {
    Py_ssize_t n = PyList_GET_SIZE(ids);
    PyObject *dict = like == NULL ? NEW_DICT(n) : PyDict_Copy(like);
    for (Py_ssize_t k = 0; dict != NULL && k < n; k++) {
        PyObject *id = PyList_GET_ITEM(ids, k), *value = make(column, k);
        PyObject **slot = value == NULL || like == NULL ? NULL : entry_value(dict, k, id);
        if (slot != NULL)
            Py_SETREF(*slot, value);
        else if (value == NULL || PyDict_SetItem(dict, id, value) < 0) {
            Py_XDECREF(value);
            Py_CLEAR(dict);
        } else
            Py_DECREF(value);
    }
    return dict;
}

/* The answer's dicts by node id (see native.h). */

#include <string.h>

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

int put_at(PyObject *dict, Py_ssize_t k, PyObject *key, PyObject *value) {
    PyObject **slot = value == NULL ? NULL : entry_value(dict, k, key);
    if (slot != NULL) {
        Py_SETREF(*slot, value);
        return 0;
    }
    int failed = value == NULL || PyDict_SetItem(dict, key, value) < 0;
    Py_XDECREF(value);
    return failed ? -1 : 0;
}

PyObject *float_like(PyObject *like, double x) {
    if (like != NULL && PyFloat_CheckExact(like) &&
        memcmp(&PyFloat_AS_DOUBLE(like), &x, sizeof x) == 0)
        return Py_NewRef(like);
    return PyFloat_FromDouble(x);
}

PyObject *float_at(PyObject *dict, Py_ssize_t k, PyObject *key, double x) {
    PyObject **slot = dict == Py_None ? NULL : entry_value(dict, k, key);
    return float_like(slot == NULL ? NULL : *slot, x);
}

/* {ids[k]: make(column, k)}. With `like` (a dict of the same ids in the same order) it
   starts as a copy of like (one copy of its table) whose values are then written in
   place: no probe of the hash table per id. The copy is new, so no one sees it change. */
PyObject *dict_by_id(PyObject *ids, Make make, const double *column, PyObject *like) {
    Py_ssize_t n = PyList_GET_SIZE(ids);
    PyObject *dict = like == NULL ? NEW_DICT(n) : PyDict_Copy(like);
    for (Py_ssize_t k = 0; dict != NULL && k < n; k++)
        if (put_at(dict, k, PyList_GET_ITEM(ids, k), make(column, k)) < 0)
            Py_CLEAR(dict);
    return dict;
}

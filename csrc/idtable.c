/* A node id -> node index table for the reader (see native.h). */

#include <string.h>

#include "native.h"

/* Two exact strs are equal when their canonical forms are (PEP 393). */
static int same_str(PyObject *a, PyObject *b) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(a);
    int kind = PyUnicode_KIND(a);
    return a == b || (length == PyUnicode_GET_LENGTH(b) && kind == PyUnicode_KIND(b) &&
                      memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)(length * kind)) == 0);
}

int ids_init(IdTable *t, Py_ssize_t n) {
    size_t size = 8;
    while (size < 2 * (size_t)n) /* at most half full */
        size *= 2;
    t->mask = size - 1;
    t->slots = n < INT32_MAX ? PyMem_Calloc(size, sizeof(IdSlot)) : NULL;
    if (t->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

void ids_free(IdTable *t) {
    PyMem_Free(t->slots);
    t->slots = NULL;
}

/* The first slot from `key`'s place that is empty or holds `key`. */
static IdSlot *slot_of(const IdTable *t, PyObject *key, Py_hash_t hash) {
    uint32_t high = (uint32_t)((size_t)hash >> 32);
    for (size_t at = (size_t)hash & t->mask;; at = (at + 1) & t->mask) {
        IdSlot *slot = &t->slots[at];
        if (slot->key == NULL || (slot->high == high && same_str(slot->key, key)))
            return slot;
    }
}

int64_t ids_find(const IdTable *t, PyObject *key) {
    Py_hash_t hash = PyObject_Hash(key); /* an exact str: cannot fail */
    IdSlot *slot = slot_of(t, key, hash);
    return slot->key == NULL ? -1 : slot->index;
}

int ids_add(IdTable *t, PyObject *key, int64_t index) {
    Py_hash_t hash = PyObject_Hash(key);
    IdSlot *slot = slot_of(t, key, hash);
    if (slot->key != NULL)
        return 0;
    slot->key = key;
    slot->high = (uint32_t)((size_t)hash >> 32);
    slot->index = (int32_t)index;
    return 1;
}

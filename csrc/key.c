/* A circuit's structure as bytes, the compiled-circuit cache's key (see native.h). */

#include <string.h>

#include "native.h"

typedef struct {
    char *data;
    Py_ssize_t size, room;
} Out;

static int grow(Out *o, Py_ssize_t more) {
    if (o->size + more <= o->room)
        return 0;
    Py_ssize_t room = 2 * (o->room + more);
    char *data = PyMem_Realloc(o->data, (size_t)room);
    if (data == NULL)
        return -1;
    o->data = data;
    o->room = room;
    return 0;
}

static int put_bytes(Out *o, char tag, const void *bytes, Py_ssize_t size) {
    if (grow(o, 1 + size) < 0)
        return -1;
    o->data[o->size++] = tag;
    memcpy(o->data + o->size, bytes, (size_t)size);
    o->size += size;
    return 0;
}

static int put_count(Out *o, char tag, Py_ssize_t count) {
    int64_t n = count;
    return put_bytes(o, tag, &n, sizeof n);
}

/* One value with its type, so that 1, 1.0, True and "1" never meet: 1 when written,
   0 when it is of a kind this encoding leaves to Python, -1 on error. A value absent
   (NULL) and None are the same, as dict.get makes them. */
static int put_value(Out *o, PyObject *value) {
    if (value == NULL || value == Py_None)
        return put_bytes(o, 'N', "", 0) < 0 ? -1 : 1;
    if (PyBool_Check(value))
        return put_bytes(o, value == Py_True ? 'T' : 'U', "", 0) < 0 ? -1 : 1;
    if (PyFloat_CheckExact(value)) {
        double number = PyFloat_AS_DOUBLE(value);
        return put_bytes(o, 'F', &number, sizeof number) < 0 ? -1 : 1;
    }
    if (PyLong_CheckExact(value)) {
        int overflow;
        long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow || (number == -1 && PyErr_Occurred())) {
            PyErr_Clear();
            return 0;
        }
        return put_bytes(o, 'I', &number, sizeof number) < 0 ? -1 : 1;
    }
    if (PyUnicode_CheckExact(value)) {
        Py_ssize_t size;
        const char *text = PyUnicode_AsUTF8AndSize(value, &size);
        if (text == NULL) { /* a lone surrogate */
            PyErr_Clear();
            return 0;
        }
        if (put_count(o, 'S', size) < 0 || grow(o, size) < 0)
            return -1;
        memcpy(o->data + o->size, text, (size_t)size);
        o->size += size;
        return 1;
    }
    return 0;
}

/* A node's inputs: a list of values, or one value. */
static int put_inputs(Out *o, PyObject *inputs) {
    if (inputs == NULL || !PyList_CheckExact(inputs))
        return put_value(o, inputs);
    Py_ssize_t count = PyList_GET_SIZE(inputs);
    if (put_count(o, 'L', count) < 0)
        return -1;
    int ok = 1;
    for (Py_ssize_t i = 0; ok == 1 && i < PyList_GET_SIZE(inputs); i++)
        ok = put_value(o, PyList_GET_ITEM(inputs, i));
    return ok == 1 && PyList_GET_SIZE(inputs) != count ? 0 : ok;
}

/* A node's params: a dict of values by name, in its order, or one value. */
static int put_params(Out *o, PyObject *params) {
    if (params == NULL || !PyDict_CheckExact(params))
        return put_value(o, params);
    if (put_count(o, 'D', PyDict_GET_SIZE(params)) < 0)
        return -1;
    Py_ssize_t pos = 0;
    PyObject *name, *value;
    int ok = 1;
    while (ok == 1 && PyDict_Next(params, &pos, &name, &value)) {
        ok = put_value(o, name);
        if (ok == 1)
            ok = put_value(o, value);
    }
    return ok;
}

/* node.get(key) without raising: NULL when absent or when the lookup raised. */
static PyObject *get(PyObject *dict, PyObject *key) {
    PyObject *found = PyDict_GetItemWithError(dict, key);
    if (found == NULL)
        PyErr_Clear();
    return found;
}

static int put_node(Out *o, PyObject *node, PyObject *group) {
    if (!PyDict_CheckExact(node))
        return 0;
    PyObject *op = get(node, k_op);
    if (op != NULL && PyUnicode_CheckExact(op) && PyUnicode_Compare(op, group) == 0)
        return 0; /* a group's body is not in the key: Python says it is not cached */
    int ok = put_value(o, get(node, k_id));
    if (ok == 1)
        ok = put_value(o, op);
    if (ok == 1)
        ok = put_inputs(o, get(node, k_inputs));
    if (ok == 1)
        ok = put_params(o, get(node, k_params));
    return ok;
}

/* structure(circuit, group) -> bytes, or None where engine.cache.structure_key must
   decide: everything compilation reads except the inputs' values (version, output,
   output_grad, and each node's id, op, inputs and params), each with its type, in an
   encoding that two different structures never share. `group` is the group op's name. */
PyObject *native_structure(PyObject *self, PyObject *args) {
    PyObject *circuit, *group;
    if (!PyArg_ParseTuple(args, "O!U", &PyDict_Type, &circuit, &group))
        return NULL;
    PyObject *nodes = get(circuit, k_nodes);
    if (nodes == NULL || !PyList_CheckExact(nodes))
        Py_RETURN_NONE;
    Out o = {NULL, 0, 0};
    PyObject *fields[3] = {k_version, k_output, k_output_grad};
    Py_ssize_t count = PyList_GET_SIZE(nodes);
    int ok = put_count(&o, 'K', count) < 0 ? -1 : 1;
    for (int f = 0; ok == 1 && f < 3; f++)
        ok = put_value(&o, get(circuit, fields[f]));
    for (Py_ssize_t k = 0; ok == 1 && k < PyList_GET_SIZE(nodes); k++) {
        PyObject *node = PyList_GET_ITEM(nodes, k);
        Py_INCREF(node);
        ok = put_node(&o, node, group);
        Py_DECREF(node);
    }
    if (ok == 1 && PyList_GET_SIZE(nodes) != count) /* changed under us */
        ok = 0;
    PyObject *key = NULL;
    if (ok == 1)
        key = PyBytes_FromStringAndSize(o.data, o.size);
    else if (ok == 0)
        key = Py_NewRef(Py_None);
    PyMem_Free(o.data);
    return key;
}

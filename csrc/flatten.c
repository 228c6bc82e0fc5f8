/* One pass over a circuit's node dicts (see native.h). */

#include <math.h>
#include <string.h>

#include "native.h"

typedef struct {
    /* the table, per op code */
    Py_ssize_t n_codes;
    const unsigned char *low, *high, *leaf;
    PyObject *codes_of;    /* dict: op name -> code */
    PyObject *param_names; /* tuple: per code, the param's name or None */
    Py_ssize_t max_id_chars, max_gate_inputs;
} Table;

typedef struct {
    IdTable by_id;
    PyObject *ids, *inputs, *param_values, *values;
    int64_t *codes, *first, *src, *param_nodes, *leaves;
    unsigned char *used;
    Py_ssize_t n_edges, n_params, n_leaves;
} Out;

/* A finite int or float (never a bool or a subclass) as a double; 0 when it is not. */
static int finite_number(PyObject *obj, double *out) {
    if (PyFloat_CheckExact(obj)) {
        *out = PyFloat_AS_DOUBLE(obj);
    } else if (PyLong_CheckExact(obj)) {
        *out = PyLong_AsDouble(obj);
        if (*out == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
    } else {
        return 0;
    }
    return isfinite(*out);
}

/* node.get(key) without raising: NULL when absent or when the lookup raised. */
static PyObject *field(PyObject *node, PyObject *key) {
    PyObject *found = PyDict_GetItemWithError(node, key);
    if (found == NULL)
        PyErr_Clear();
    return found;
}

enum { F_ID, F_OP, F_INPUTS, F_PARAMS, F_VALUE, N_FIELDS };

/* Which of the five fields an exact str key names (-1: another one). */
static int field_of(PyObject *key) {
    if (PyUnicode_KIND(key) != PyUnicode_1BYTE_KIND)
        return -1;
    const char *d = (const char *)PyUnicode_1BYTE_DATA(key);
    switch (PyUnicode_GET_LENGTH(key)) {
    case 2: return d[0] == 'i' && d[1] == 'd' ? F_ID : d[0] == 'o' && d[1] == 'p' ? F_OP : -1;
    case 5: return memcmp(d, "value", 5) == 0 ? F_VALUE : -1;
    case 6: return memcmp(d, "inputs", 6) == 0 ? F_INPUTS
                   : memcmp(d, "params", 6) == 0 ? F_PARAMS : -1;
    default: return -1;
    }
}

/* The node's five fields (NULL: absent) in one walk over its entries, as node.get(name)
   finds them; 0 when a key is not an exact str (then only Python's lookup can tell). */
static int fields_of(PyObject *node, PyObject **found) {
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    for (int f = 0; f < N_FIELDS; f++)
        found[f] = NULL;
    while (PyDict_Next(node, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key))
            return 0;
        int f = field_of(key);
        if (f >= 0)
            found[f] = value;
    }
    return 1;
}

static int check_inputs(const Table *t, Out *o, PyObject *inputs, Py_ssize_t k, int64_t code) {
    Py_ssize_t count = 0;
    if (inputs != NULL) {
        if (!PyList_CheckExact(inputs))
            return 0;
        count = PyList_GET_SIZE(inputs);
    }
    if (count < t->low[code] || count > t->high[code] || count > t->max_gate_inputs)
        return 0;
    o->first[k] = o->n_edges;
    for (Py_ssize_t port = 0; port < count; port++) {
        PyObject *ref = PyList_GET_ITEM(inputs, port);
        if (!PyUnicode_CheckExact(ref))
            return 0;
        int64_t s = ids_find(&o->by_id, ref); /* only earlier nodes are in it */
        if (s < 0)
            return 0;
        o->src[o->n_edges++] = s;
        o->used[s] = 1;
    }
    if (inputs == NULL) {
        inputs = PyList_New(0);
        if (inputs == NULL)
            return -1;
    } else {
        Py_INCREF(inputs);
    }
    PyList_SET_ITEM(o->inputs, k, inputs);
    return 1;
}

/* A finite number appended to `list` as a float (an exact float as it is, as float()
   returns it), and node k to `nodes`: 1; 0 when `given` is not one; -1 on error. */
static int take_number(PyObject *given, PyObject *list, int64_t *nodes, Py_ssize_t *count,
                       Py_ssize_t k) {
    double number;
    if (given == NULL || !finite_number(given, &number))
        return 0;
    PyObject *boxed = PyFloat_CheckExact(given) ? Py_NewRef(given) : PyFloat_FromDouble(number);
    if (boxed == NULL || PyList_Append(list, boxed) < 0) {
        Py_XDECREF(boxed);
        return -1;
    }
    Py_DECREF(boxed);
    nodes[(*count)++] = k;
    return 1;
}

static int check_params(const Table *t, Out *o, PyObject *params, Py_ssize_t k, int64_t code) {
    PyObject *name = PyTuple_GET_ITEM(t->param_names, code);
    if (name == Py_None) /* no params: absent, null or {} */
        return params == NULL || params == Py_None ||
               (PyDict_CheckExact(params) && PyDict_GET_SIZE(params) == 0);
    if (params == NULL || !PyDict_CheckExact(params) || PyDict_GET_SIZE(params) != 1)
        return 0;
    return take_number(field(params, name), o->param_values, o->param_nodes, &o->n_params, k);
}

static int check_value(const Table *t, Out *o, PyObject *value, Py_ssize_t k, int64_t code) {
    if (!t->leaf[code])
        return 1;
    return take_number(value, o->values, o->leaves, &o->n_leaves, k);
}

/* 1: node k is fine and recorded; 0: unusual (Python decides); -1: an error is set. */
static int check_node(const Table *t, Out *o, PyObject *node, Py_ssize_t k) {
    PyObject *f[N_FIELDS];
    if (!PyDict_CheckExact(node) || !fields_of(node, f))
        return 0;
    PyObject *id = f[F_ID], *op = f[F_OP];
    if (id == NULL || !PyUnicode_CheckExact(id) || PyUnicode_GET_LENGTH(id) == 0 ||
        PyUnicode_GET_LENGTH(id) > t->max_id_chars)
        return 0;
    if (op == NULL || !PyUnicode_CheckExact(op))
        return 0;
    PyObject *found = PyDict_GetItemWithError(t->codes_of, op);
    if (found == NULL) {
        PyErr_Clear();
        return 0;
    }
    int64_t code = PyLong_AsLongLong(found);
    if (code < 0 || code >= t->n_codes)
        return 0;
    o->codes[k] = code;
    int ok = check_inputs(t, o, f[F_INPUTS], k, code);
    if (ok == 1)
        ok = check_params(t, o, f[F_PARAMS], k, code);
    if (ok == 1)
        ok = check_value(t, o, f[F_VALUE], k, code);
    if (ok != 1)
        return ok;
    Py_INCREF(id);
    PyList_SET_ITEM(o->ids, k, id);
    return ids_add(&o->by_id, id, k); /* 0: a duplicate id */
}

static int read_table(PyObject *table, Table *t, Buf *bufs) {
    PyObject *arrays[3]; /* low, high, leaf */
    if (!PyArg_ParseTuple(table, "O!O!OOOnn", &PyDict_Type, &t->codes_of, &PyTuple_Type,
                          &t->param_names, &arrays[0], &arrays[1], &arrays[2], &t->max_id_chars,
                          &t->max_gate_inputs))
        return -1;
    t->n_codes = PyTuple_GET_SIZE(t->param_names);
    if (get_bufs(arrays, bufs, 3, (const Py_ssize_t[]){1, 1, 1}, 0) < 0)
        return -1;
    if (bufs[0].view.len < t->n_codes || bufs[1].view.len < t->n_codes ||
        bufs[2].view.len < t->n_codes) {
        PyErr_SetString(PyExc_ValueError, "the op table's arrays are too short");
        return -1;
    }
    for (Py_ssize_t code = 0; code < t->n_codes; code++)
        if (((const unsigned char *)bufs[1].view.buf)[code] > 2) {
            PyErr_SetString(PyExc_ValueError, "the tape's gates have at most 2 inputs");
            return -1;
        }
    t->low = bufs[0].view.buf;
    t->high = bufs[1].view.buf;
    t->leaf = bufs[2].view.buf;
    return 0;
}

static PyObject *int64_bytes(const int64_t *items, Py_ssize_t count) {
    return PyBytes_FromStringAndSize((const char *)items, count * (Py_ssize_t)sizeof(int64_t));
}

/* The output: the named node (`named` an exact str) or, when none is named, the one node no
   edge reads; -1 when there is no such node. */
static Py_ssize_t output_of(const Out *o, PyObject *named, Py_ssize_t n) {
    if (named != Py_None)
        return PyUnicode_CheckExact(named) ? ids_find(&o->by_id, named) : -1;
    Py_ssize_t count = 0, sink = -1;
    for (Py_ssize_t k = 0; k < n; k++)
        if (!o->used[k] && count++ == 0)
            sink = k;
    return count == 1 ? sink : -1;
}

static PyObject *flat_tuple(Out *o, PyObject *named, Py_ssize_t n) {
    o->first[n] = o->n_edges;
    return Py_BuildValue("ONONNONONn", o->ids, int64_bytes(o->codes, n), o->inputs,
                         int64_bytes(o->first, n + 1), int64_bytes(o->src, o->n_edges),
                         o->param_values, int64_bytes(o->param_nodes, o->n_params),
                         o->values, int64_bytes(o->leaves, o->n_leaves),
                         output_of(o, named, n));
}

PyObject *native_flatten(PyObject *self, PyObject *args) {
    PyObject *nodes, *named, *table, *result = NULL;
    Table t;
    Buf bufs[3] = {{.held = 0}, {.held = 0}, {.held = 0}};
    Out o = {0};
    if (!PyArg_ParseTuple(args, "O!OO!", &PyList_Type, &nodes, &named, &PyTuple_Type, &table) ||
        read_table(table, &t, bufs) < 0) {
        release(bufs, 3);
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(nodes);
    o.ids = PyList_New(n);
    o.inputs = PyList_New(n);
    o.param_values = PyList_New(0);
    o.values = PyList_New(0);
    int64_t *block = PyMem_Calloc((size_t)(6 * n + 1), sizeof(int64_t));
    o.used = PyMem_Calloc((size_t)n + 1, 1);
    int ok = o.ids && o.inputs && o.param_values && o.values && block && o.used &&
                     ids_init(&o.by_id, n) == 0
                 ? 1 : -1;
    if (ok == 1) {
        o.codes = block;
        o.first = block + n;          /* n + 1 */
        o.src = block + 2 * n + 1;    /* at most 2 per node on the tape: high <= 2 */
        o.param_nodes = block + 4 * n + 1;
        o.leaves = block + 5 * n + 1;
    }
    for (Py_ssize_t k = 0; ok == 1 && k < n; k++) {
        if (k >= PyList_GET_SIZE(nodes)) { ok = 0; break; } /* changed under us */
        PyObject *node = PyList_GET_ITEM(nodes, k);
        Py_INCREF(node);
        ok = check_node(&t, &o, node, k);
        Py_DECREF(node);
    }
    if (ok == 1 && PyList_GET_SIZE(nodes) == n)
        result = flat_tuple(&o, named, n);
    else if (ok == 0 || (ok == -1 && !PyErr_Occurred()))
        result = Py_NewRef(Py_None);
    Py_XDECREF(o.ids);
    Py_XDECREF(o.inputs);
    ids_free(&o.by_id);
    Py_XDECREF(o.param_values);
    Py_XDECREF(o.values);
    PyMem_Free(block);
    PyMem_Free(o.used);
    release(bufs, 3);
    return result;
}

/* The answer's dicts and the teaching trace's, built from the tape's arrays (see native.h). */

#include "native.h"

/* The answer and its trace are trees of fresh containers, without a cycle, and the first
   collection after a large evaluation would walk every one of them (some 300,000 with the
   trace, longer than building them). So the lists and dicts built here are not tracked by
   the cyclic collector (a dict of floats never is). A dict tracks itself again when a
   container is put into it; a list does not: only a caller who made a cycle through one
   of these lists would see that cycle kept (never freed wrongly). */

/* `list` (NULL: an error), untracked. */
static PyObject *untracked(PyObject *list) {
    if (list != NULL)
        PyObject_GC_UnTrack(list);
    return list;
}

/* A copy of `items` (a list of strs), or an empty list when NULL, untracked. */
static PyObject *untracked_list(PyObject *items) {
    return untracked(items == NULL ? PyList_New(0) : PySequence_List(items));
}

static PyObject *number(const double *column, Py_ssize_t k) {
    return PyFloat_FromDouble(column[k]);
}

static PyObject *no_shape(const double *column, Py_ssize_t k) {
    return untracked_list(NULL);
}

/* answer(ids, values, grads float64) -> ({id: value}, {id: gradient}, {id: []}, [id...]):
   the contract's three dicts of a scalar circuit, and the order (a copy of ids). */
PyObject *native_answer(PyObject *self, PyObject *args) {
    PyObject *ids, *objs[2], *dicts[3] = {NULL, NULL, NULL};
    Buf b[2] = {{.held = 0}, {.held = 0}};
    if (!PyArg_ParseTuple(args, "O!OO", &PyList_Type, &ids, &objs[0], &objs[1]))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(ids);
    static const Py_ssize_t sizes[2] = {8, 8};
    int failed = get_bufs(objs, b, 2, sizes, 0) < 0;
    if (!failed && (b[0].view.len / 8 < n || b[1].view.len / 8 < n)) {
        PyErr_SetString(PyExc_ValueError, "answer: fewer values than ids");
        failed = 1;
    }
    if (!failed)
        failed = (dicts[0] = dict_by_id(ids, number, b[0].view.buf, NULL)) == NULL ||
                 (dicts[1] = dict_by_id(ids, number, b[1].view.buf, dicts[0])) == NULL ||
                 (dicts[2] = dict_by_id(ids, no_shape, NULL, dicts[0])) == NULL;
    release(b, 2);
    PyObject *order = failed ? NULL : untracked_list(ids);
    if (order == NULL) {
        for (int d = 0; d < 3; d++)
            Py_XDECREF(dicts[d]);
        return NULL;
    }
    PyObject_GC_UnTrack(dicts[2]); /* it holds untracked lists only */
    return Py_BuildValue("NNNN", dicts[0], dicts[1], dicts[2], order);
}

/* ---------------------------------------------------------------- the trace */

PyObject *k_id, *k_op, *k_inputs, *k_params, *k_value, *k_nodes, *k_version, *k_output,
    *k_output_grad;
static PyObject *k_upstream, *k_port, *k_input, *k_local, *k_sent, *k_total, *k_accumulated;

/* {keys[i]: None} (NULL: an error). */
static PyObject *template_of(int count, PyObject **keys) {
    PyObject *dict = PyDict_New();
    for (int i = 0; dict != NULL && i < count; i++)
        if (PyDict_SetItem(dict, keys[i], Py_None) < 0)
            Py_CLEAR(dict);
    return dict;
}

/* A new untracked dict of `count` keys and values; it steals the values (any may be NULL:
   an error). It starts as a copy of `*like`, these keys with None (made on first use), so
   that each value is written in place (see put_at). */
static PyObject *record(PyObject **like, int count, PyObject **keys, PyObject **values) {
    if (*like == NULL)
        *like = template_of(count, keys);
    PyObject *dict = *like == NULL ? NULL : PyDict_Copy(*like);
    for (int i = 0; i < count; i++)
        if (dict == NULL)
            Py_XDECREF(values[i]);
        else if (put_at(dict, i, keys[i], values[i]) < 0)
            Py_CLEAR(dict);
    if (dict != NULL && PyObject_GC_IsTracked(dict))
        PyObject_GC_UnTrack(dict);
    return dict;
}

static PyObject *forward_like, *gate_like, *port_like;

/* trace_forward(ids, ops, inputs, values float64, found) -> [{"id", "op", "inputs",
   "value"}]: `ops` names each node's op, `inputs` lists each node's inputs (copied),
   `found` is the answer's values by id, whose floats are shared (or None). */
PyObject *native_trace_forward(PyObject *self, PyObject *args) {
    PyObject *ids, *ops, *inputs, *values_obj, *found;
    Buf b;
    if (!PyArg_ParseTuple(args, "O!O!O!OO", &PyList_Type, &ids, &PyList_Type, &ops, &PyList_Type,
                          &inputs, &values_obj, &found) ||
        get_bufs(&values_obj, &b, 1, (const Py_ssize_t[]){8}, 0) < 0)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(ids);
    PyObject *steps = NULL;
    if (PyList_GET_SIZE(ops) < n || PyList_GET_SIZE(inputs) < n || b.view.len / 8 < n)
        PyErr_SetString(PyExc_ValueError, "trace_forward: lists of different lengths");
    else
        steps = untracked(PyList_New(n));
    const double *values = b.view.buf;
    PyObject *keys[4] = {k_id, k_op, k_inputs, k_value};
    for (Py_ssize_t k = 0; steps != NULL && k < n; k++) {
        PyObject *id = PyList_GET_ITEM(ids, k);
        PyObject *row[4] = {Py_NewRef(id), Py_NewRef(PyList_GET_ITEM(ops, k)),
                            untracked_list(PyList_GET_ITEM(inputs, k)),
                            float_at(found, k, id, values[k])};
        PyObject *step = record(&forward_like, 4, keys, row);
        if (step == NULL)
            Py_CLEAR(steps);
        else
            PyList_SET_ITEM(steps, k, step);
    }
    release(&b, 1);
    return steps;
}

/* One backward port: {"port", "input", "local", "sent", "total", "accumulated"}; a sent
   equal to the gate's `upstream` (a local gradient of 1) is that float, a total that is the
   input's gradient (its last one) the answer's (`found`, node s's). */
static PyObject *port_step(Py_ssize_t port, PyObject *input, Py_ssize_t s, const double *step,
                           int again, PyObject *found, PyObject *upstream) {
    PyObject *keys[6] = {k_port, k_input, k_local, k_sent, k_total, k_accumulated};
    PyObject *row[6] = {PyLong_FromSsize_t(port), Py_NewRef(input), PyFloat_FromDouble(step[2]),
                        float_like(upstream, step[3]), float_at(found, s, input, step[4]),
                        PyBool_FromLong(again)};
    return record(&port_like, 6, keys, row);
}

/* trace_backward(ids, ops, grads float64, steps float64 [kept x 5], gradients) -> one entry
   per gate, {"id", "op", "upstream", "inputs": [port...]}, as engine.tape_trace._backward
   builds; `gradients` is the answer's, whose floats are shared (or None). */
PyObject *native_trace_backward(PyObject *self, PyObject *args) {
    PyObject *ids, *ops, *objs[2], *found, *gates = NULL, *ports = NULL, *upstream = NULL;
    Buf b[2];
    if (!PyArg_ParseTuple(args, "O!O!OOO", &PyList_Type, &ids, &PyList_Type, &ops, &objs[0],
                          &objs[1], &found) ||
        get_bufs(objs, b, 2, (const Py_ssize_t[]){8, 8}, 0) < 0)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(ids), kept = b[1].view.len / 40, last = -1;
    const double *grads = b[0].view.buf, *steps = b[1].view.buf;
    unsigned char *received = PyMem_Calloc((size_t)n + 1, 1);
    int ok = received != NULL && PyList_GET_SIZE(ops) >= n && b[0].view.len / 8 >= n;
    for (Py_ssize_t e = 0; ok && e < kept; e++)
        ok = 0 <= steps[5 * e] && steps[5 * e] < n && 0 <= steps[5 * e + 1] && steps[5 * e + 1] < n;
    gates = ok ? untracked(PyList_New(0)) : NULL;
    if (!ok && !PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "trace_backward: a step out of range");
    for (Py_ssize_t e = 0; gates != NULL && e < kept; e++) {
        const double *step = steps + 5 * e;
        Py_ssize_t s = (Py_ssize_t)step[0], d = (Py_ssize_t)step[1];
        if (d != last) {
            PyObject *keys[4] = {k_id, k_op, k_upstream, k_inputs};
            ports = untracked_list(NULL);
            PyObject *id = PyList_GET_ITEM(ids, d);
            upstream = float_at(found, d, id, grads[d]); /* the gate holds it */
            PyObject *row[4] = {Py_NewRef(id), Py_NewRef(PyList_GET_ITEM(ops, d)), upstream,
                                Py_XNewRef(ports)};
            PyObject *gate = record(&gate_like, 4, keys, row);
            Py_XDECREF(ports); /* the gate holds it */
            if (gate == NULL || PyList_Append(gates, gate) < 0) {
                Py_XDECREF(gate);
                Py_CLEAR(gates);
                break;
            }
            Py_DECREF(gate);
            last = d;
        }
        PyObject *port = port_step(PyList_GET_SIZE(ports), PyList_GET_ITEM(ids, s), s, step,
                                   received[s], found, upstream);
        received[s] = 1;
        if (port == NULL || PyList_Append(ports, port) < 0)
            Py_CLEAR(gates);
        Py_XDECREF(port);
    }
    PyMem_Free(received);
    release(b, 2);
    return gates;
}

int native_intern_keys(void) {
    struct { PyObject **key; const char *name; } keys[] = {
        {&k_id, "id"}, {&k_op, "op"}, {&k_inputs, "inputs"}, {&k_value, "value"},
        {&k_params, "params"}, {&k_nodes, "nodes"}, {&k_version, "version"},
        {&k_output, "output"}, {&k_output_grad, "output_grad"},
        {&k_upstream, "upstream"}, {&k_port, "port"}, {&k_input, "input"},
        {&k_local, "local"}, {&k_sent, "sent"}, {&k_total, "total"},
        {&k_accumulated, "accumulated"}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if ((*keys[i].key = PyUnicode_InternFromString(keys[i].name)) == NULL)
            return -1;
    return 0;
}

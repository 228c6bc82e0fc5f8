/* The scalar tape's hot loops in C: engine/native.py is the only caller.

   flatten  reads a circuit's node dicts in one pass, doing exactly the checks of
            engine.flat.flatten (and engine.bounds.check_bounds); anything unusual
            returns None and the Python path decides, naming the error.
   forward  v[k] = f(v[a], v[b]) gate by gate, each op with the same libm call and
            operation order as its Python rule (engine.tape_ops), so the same bits.
   backward the chain rule gate by gate in reverse, as engine.tape.Tape.backward.
   backward_traced  the same edge by edge, every step kept, as Tape.backward_traced.

   The loops over arrays release the GIL. Build flags keep IEEE semantics: no fast-math,
   no contraction of a * b + c into one fused multiply-add (setup.py). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* forward kinds: the C twin of each Python rule (engine.native.KINDS) */
enum { K_ADD, K_SUB, K_MUL, K_DIV, K_MAX, K_MIN, K_POW, K_EXP, K_LOG, K_TANH, K_SIGMOID };


/* ---------------------------------------------------------------- buffers */

typedef struct {
    Py_buffer view;
    int held;
} Buf;

static int get_buf(PyObject *obj, Buf *buf, Py_ssize_t itemsize, int writable) {
    int flags = PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, &buf->view, flags) < 0)
        return -1;
    buf->held = 1;
    if (buf->view.itemsize != itemsize) {
        PyErr_SetString(PyExc_TypeError, "a buffer of the wrong item size");
        return -1;
    }
    return 0;
}

static void release(Buf *bufs, int count) {
    for (int i = 0; i < count; i++)
        if (bufs[i].held)
            PyBuffer_Release(&bufs[i].view);
}

/* ---------------------------------------------------------------- flatten */

typedef struct {
    /* the table, per op code */
    Py_ssize_t n_codes;
    const unsigned char *low, *high, *leaf;
    PyObject *codes_of;    /* dict: op name -> code */
    PyObject *param_names; /* tuple: per code, the param's name or None */
    Py_ssize_t max_id_chars, max_gate_inputs;
} Table;

typedef struct {
    PyObject *ids, *inputs, *by_id, *param_values, *values;
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
        PyObject *index = PyDict_GetItemWithError(o->by_id, ref); /* only earlier nodes */
        if (index == NULL) {
            PyErr_Clear();
            return 0;
        }
        int64_t s = PyLong_AsLongLong(index);
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
    PyObject *index = PyLong_FromSsize_t(k);
    PyObject *kept = index == NULL ? NULL : PyDict_SetDefault(o->by_id, id, index);
    Py_XDECREF(index);
    if (kept == NULL)
        return -1;
    return kept == index; /* another node's index: a duplicate id */
}

static int read_table(PyObject *table, Table *t, Buf *bufs) {
    PyObject *low, *high, *leaf;
    if (!PyArg_ParseTuple(table, "O!O!OOOnn", &PyDict_Type, &t->codes_of, &PyTuple_Type,
                          &t->param_names, &low, &high, &leaf, &t->max_id_chars,
                          &t->max_gate_inputs))
        return -1;
    t->n_codes = PyTuple_GET_SIZE(t->param_names);
    if (get_buf(low, &bufs[0], 1, 0) < 0 || get_buf(high, &bufs[1], 1, 0) < 0 ||
        get_buf(leaf, &bufs[2], 1, 0) < 0)
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

/* The sinks: how many nodes no edge reads, and the first of them. */
static void sinks(const Out *o, Py_ssize_t n, Py_ssize_t *count, Py_ssize_t *first) {
    *count = 0;
    *first = -1;
    for (Py_ssize_t k = 0; k < n; k++)
        if (!o->used[k] && (*count)++ == 0)
            *first = k;
}

static PyObject *flat_tuple(Out *o, Py_ssize_t n) {
    Py_ssize_t n_sinks, sink;
    sinks(o, n, &n_sinks, &sink);
    o->first[n] = o->n_edges;
    return Py_BuildValue("OONONNONONnn", o->ids, o->by_id, int64_bytes(o->codes, n), o->inputs,
                         int64_bytes(o->first, n + 1), int64_bytes(o->src, o->n_edges),
                         o->param_values, int64_bytes(o->param_nodes, o->n_params),
                         o->values, int64_bytes(o->leaves, o->n_leaves), n_sinks, sink);
}

static PyObject *native_flatten(PyObject *self, PyObject *args) {
    PyObject *nodes, *table, *result = NULL;
    Table t;
    Buf bufs[3] = {{.held = 0}, {.held = 0}, {.held = 0}};
    Out o = {0};
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &nodes, &PyTuple_Type, &table) ||
        read_table(table, &t, bufs) < 0) {
        release(bufs, 3);
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(nodes);
    o.ids = PyList_New(n);
    o.inputs = PyList_New(n);
    o.by_id = PyDict_New();
    o.param_values = PyList_New(0);
    o.values = PyList_New(0);
    int64_t *block = PyMem_Calloc((size_t)(6 * n + 1), sizeof(int64_t));
    o.used = PyMem_Calloc((size_t)n + 1, 1);
    int ok = o.ids && o.inputs && o.by_id && o.param_values && o.values && block && o.used
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
        result = flat_tuple(&o, n);
    else if (ok == 0 || (ok == -1 && !PyErr_Occurred()))
        result = Py_NewRef(Py_None);
    Py_XDECREF(o.ids);
    Py_XDECREF(o.inputs);
    Py_XDECREF(o.by_id);
    Py_XDECREF(o.param_values);
    Py_XDECREF(o.values);
    PyMem_Free(block);
    PyMem_Free(o.used);
    release(bufs, 3);
    return result;
}

/* ---------------------------------------------------------------- forward */

/* Python's max(x, y) keeps x unless y > x; min(x, y) unless y < x. */
static inline double step(int kind, double x, double y, int *bad) {
    double r;
    switch (kind) {
    case K_ADD: return x + y;
    case K_SUB: return x - y;
    case K_MUL: return x * y;
    case K_DIV:
        if (y == 0.0) { *bad = 1; return 0.0; } /* ZeroDivisionError */
        return x / y;
    case K_MAX: return y > x ? y : x;
    case K_MIN: return y < x ? y : x;
    case K_POW: r = pow(x, y); break; /* math.pow: finite inputs, a non-finite result raises */
    case K_EXP: r = exp(x); break;    /* math.exp: overflow raises */
    case K_LOG:
        if (!(x > 0.0)) { *bad = 1; return 0.0; } /* math.log: a domain error */
        return log(x);
    case K_TANH: return tanh(x);
    case K_SIGMOID: /* engine.kernels._Scalar.sigmoid */
        if (x >= 0) return 1.0 / (1.0 + exp(-x));
        r = exp(x);
        return r / (1.0 + r);
    default: *bad = 1; return 0.0;
    }
    if (!isfinite(r)) *bad = 1;
    return r;
}

/* forward(kinds int8, a, b, k int64, slots float64, start, stop) -> the first gate whose
   value is not finite or whose op raised in Python, or -1 when every value is finite. */
static PyObject *native_forward(PyObject *self, PyObject *args) {
    PyObject *objs[5];
    Py_ssize_t start, stop, failed = -1;
    Buf b[5] = {{.held = 0}, {.held = 0}, {.held = 0}, {.held = 0}, {.held = 0}};
    if (!PyArg_ParseTuple(args, "OOOOOnn", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &start, &stop))
        return NULL;
    static const Py_ssize_t sizes[5] = {1, 8, 8, 8, 8};
    for (int i = 0; i < 5; i++)
        if (get_buf(objs[i], &b[i], sizes[i], i == 4) < 0) {
            release(b, 5);
            return NULL;
        }
    Py_ssize_t gates = b[0].view.len, slots = b[4].view.len / 8;
    int in_range = 0 <= start && start <= stop && stop <= gates && b[1].view.len / 8 >= gates &&
                   b[2].view.len / 8 >= gates && b[3].view.len / 8 >= gates;
    const int8_t *kind = b[0].view.buf;
    const int64_t *a = b[1].view.buf, *bb = b[2].view.buf, *k = b[3].view.buf;
    double *v = b[4].view.buf;
    for (Py_ssize_t g = start; in_range && g < stop; g++)
        in_range = 0 <= a[g] && a[g] < slots && 0 <= bb[g] && bb[g] < slots && 0 <= k[g] &&
                   k[g] < slots;
    if (!in_range) {
        release(b, 5);
        PyErr_SetString(PyExc_IndexError, "forward: a slot or gate out of range");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t g = start; g < stop; g++) {
        int bad = 0;
        double r = step(kind[g], v[a[g]], v[bb[g]], &bad);
        if (bad || !isfinite(r)) {
            failed = g;
            break;
        }
        v[k[g]] = r;
    }
    Py_END_ALLOW_THREADS
    release(b, 5);
    return PyLong_FromSsize_t(failed);
}

/* ---------------------------------------------------------------- backward */

/* backward(gates, a, b int64, la, lb, grad float64, start, stop): for each gate in turn,
   g = grad[k]; if g: grad[a] += la * g; grad[b] += lb * g. */
static PyObject *native_backward(PyObject *self, PyObject *args) {
    PyObject *objs[6];
    Py_ssize_t start, stop;
    Buf b[6] = {{.held = 0}, {.held = 0}, {.held = 0}, {.held = 0}, {.held = 0}, {.held = 0}};
    if (!PyArg_ParseTuple(args, "OOOOOOnn", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &objs[5], &start, &stop))
        return NULL;
    for (int i = 0; i < 6; i++)
        if (get_buf(objs[i], &b[i], 8, i == 5) < 0) {
            release(b, 6);
            return NULL;
        }
    Py_ssize_t n = b[0].view.len / 8, slots = b[5].view.len / 8;
    const int64_t *k = b[0].view.buf, *a = b[1].view.buf, *bb = b[2].view.buf;
    const double *la = b[3].view.buf, *lb = b[4].view.buf;
    double *grad = b[5].view.buf;
    int ok = 0 <= start && start <= stop && stop <= n;
    for (int i = 1; i < 5; i++)
        ok = ok && b[i].view.len / 8 >= n;
    for (Py_ssize_t g = start; ok && g < stop; g++)
        ok = 0 <= k[g] && k[g] < slots && 0 <= a[g] && a[g] < slots && 0 <= bb[g] &&
             bb[g] < slots;
    if (!ok) {
        release(b, 6);
        PyErr_SetString(PyExc_IndexError, "backward: a slot or gate out of range");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t g = start; g < stop; g++) {
        double up = grad[k[g]];
        if (up != 0.0) {
            grad[a[g]] += la[g] * up;
            grad[bb[g]] += lb[g] * up;
        }
    }
    Py_END_ALLOW_THREADS
    release(b, 6);
    Py_RETURN_NONE;
}

/* backward_traced(src, dst int64, local, grad float64, steps float64 [E x 5], output)
   -> steps written. Over the edges in the backward pass's order, each edge into a gate the
   output depends on sends local * grad[dst], kept as (src, dst, local, sent, src's total
   after the +=), as engine.tape.Tape.backward_traced. */
static PyObject *native_backward_traced(PyObject *self, PyObject *args) {
    PyObject *objs[5];
    Py_ssize_t output, kept = 0;
    Buf b[5] = {{.held = 0}, {.held = 0}, {.held = 0}, {.held = 0}, {.held = 0}};
    if (!PyArg_ParseTuple(args, "OOOOOn", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &output))
        return NULL;
    for (int i = 0; i < 5; i++)
        if (get_buf(objs[i], &b[i], 8, i >= 3) < 0) {
            release(b, 5);
            return NULL;
        }
    Py_ssize_t edges = b[0].view.len / 8, slots = b[3].view.len / 8;
    const int64_t *src = b[0].view.buf, *dst = b[1].view.buf;
    const double *local = b[2].view.buf;
    double *grad = b[3].view.buf, *out = b[4].view.buf;
    int ok = b[1].view.len / 8 >= edges && b[2].view.len / 8 >= edges &&
             b[4].view.len / 40 >= edges && 0 <= output && output < slots;
    for (Py_ssize_t e = 0; ok && e < edges; e++)
        ok = 0 <= src[e] && src[e] < slots && 0 <= dst[e] && dst[e] < slots;
    unsigned char *needed = ok ? PyMem_Calloc((size_t)slots, 1) : NULL;
    if (needed == NULL) {
        release(b, 5);
        if (ok)
            return PyErr_NoMemory();
        PyErr_SetString(PyExc_IndexError, "backward_traced: an edge out of range");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    needed[output] = 1;
    for (Py_ssize_t e = 0; e < edges; e++)
        needed[src[e]] |= needed[dst[e]];
    for (Py_ssize_t e = 0; e < edges; e++) {
        int64_t s = src[e], d = dst[e];
        if (!needed[d])
            continue;
        double sent = local[e] * grad[d];
        double total = grad[s] + sent;
        grad[s] = total;
        out[0] = (double)s;
        out[1] = (double)d;
        out[2] = local[e];
        out[3] = sent;
        out[4] = total;
        out += 5;
        kept++;
    }
    Py_END_ALLOW_THREADS
    PyMem_Free(needed);
    release(b, 5);
    return PyLong_FromSsize_t(kept);
}

/* ---------------------------------------------------------------- the answer */

#if PY_VERSION_HEX < 0x030D0000
#define NEW_DICT(n) _PyDict_NewPresized(n) /* room for n entries from the start */
#else
#define NEW_DICT(n) PyDict_New()
#endif

static int put(PyObject *dict, PyObject *key, PyObject *value) {
    int failed = value == NULL || PyDict_SetItem(dict, key, value) < 0;
    Py_XDECREF(value);
    return failed;
}

/* answer(ids, values, grads float64) -> ({id: value}, {id: gradient}, {id: []}): the
   contract's three dicts of a scalar circuit, filled in one pass over the ids. */
static PyObject *native_answer(PyObject *self, PyObject *args) {
    PyObject *ids, *objs[2], *dicts[3] = {NULL, NULL, NULL};
    Buf b[2] = {{.held = 0}, {.held = 0}};
    if (!PyArg_ParseTuple(args, "O!OO", &PyList_Type, &ids, &objs[0], &objs[1]))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(ids);
    int failed = get_buf(objs[0], &b[0], 8, 0) < 0 || get_buf(objs[1], &b[1], 8, 0) < 0;
    if (!failed && (b[0].view.len / 8 < n || b[1].view.len / 8 < n)) {
        PyErr_SetString(PyExc_ValueError, "answer: fewer values than ids");
        failed = 1;
    }
    for (int d = 0; !failed && d < 3; d++)
        failed = (dicts[d] = NEW_DICT(n)) == NULL;
    const double *values = failed ? NULL : b[0].view.buf, *grads = failed ? NULL : b[1].view.buf;
    for (Py_ssize_t k = 0; !failed && k < n; k++) {
        PyObject *id = PyList_GET_ITEM(ids, k);
        failed = put(dicts[0], id, PyFloat_FromDouble(values[k])) ||
                 put(dicts[1], id, PyFloat_FromDouble(grads[k])) ||
                 put(dicts[2], id, PyList_New(0));
    }
    release(b, 2);
    if (failed) {
        for (int d = 0; d < 3; d++)
            Py_XDECREF(dicts[d]);
        return NULL;
    }
    return Py_BuildValue("NNN", dicts[0], dicts[1], dicts[2]);
}

/* ---------------------------------------------------------------- the trace */

static PyObject *k_id, *k_op, *k_inputs, *k_value, *k_upstream, *k_port, *k_input, *k_local,
    *k_sent, *k_total, *k_accumulated;

/* A new dict of `count` keys and values; it steals the values (any may be NULL: error). */
static PyObject *record(int count, PyObject **keys, PyObject **values) {
    PyObject *dict = PyDict_New();
    int failed = dict == NULL;
    for (int i = 0; i < count; i++) {
        failed = failed || values[i] == NULL || PyDict_SetItem(dict, keys[i], values[i]) < 0;
        Py_XDECREF(values[i]);
    }
    if (failed) {
        Py_XDECREF(dict);
        return NULL;
    }
    return dict;
}

/* trace_forward(ids, ops, inputs, values float64) -> [{"id", "op", "inputs", "value"}]:
   `ops` names each node's op, `inputs` lists each node's inputs (copied). */
static PyObject *native_trace_forward(PyObject *self, PyObject *args) {
    PyObject *ids, *ops, *inputs, *values_obj;
    Buf b = {.held = 0};
    if (!PyArg_ParseTuple(args, "O!O!O!O", &PyList_Type, &ids, &PyList_Type, &ops, &PyList_Type,
                          &inputs, &values_obj) ||
        get_buf(values_obj, &b, 8, 0) < 0) {
        release(&b, 1);
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(ids);
    PyObject *steps = NULL;
    if (PyList_GET_SIZE(ops) < n || PyList_GET_SIZE(inputs) < n || b.view.len / 8 < n)
        PyErr_SetString(PyExc_ValueError, "trace_forward: lists of different lengths");
    else
        steps = PyList_New(n);
    const double *values = b.view.buf;
    PyObject *keys[4] = {k_id, k_op, k_inputs, k_value};
    for (Py_ssize_t k = 0; steps != NULL && k < n; k++) {
        PyObject *row[4] = {Py_NewRef(PyList_GET_ITEM(ids, k)), Py_NewRef(PyList_GET_ITEM(ops, k)),
                            PySequence_List(PyList_GET_ITEM(inputs, k)),
                            PyFloat_FromDouble(values[k])};
        PyObject *step = record(4, keys, row);
        if (step == NULL)
            Py_CLEAR(steps);
        else
            PyList_SET_ITEM(steps, k, step);
    }
    release(&b, 1);
    return steps;
}

/* One backward port: {"port", "input", "local", "sent", "total", "accumulated"}. */
static PyObject *port_step(Py_ssize_t port, PyObject *input, const double *step, int again) {
    PyObject *keys[6] = {k_port, k_input, k_local, k_sent, k_total, k_accumulated};
    PyObject *row[6] = {PyLong_FromSsize_t(port), Py_NewRef(input), PyFloat_FromDouble(step[2]),
                        PyFloat_FromDouble(step[3]), PyFloat_FromDouble(step[4]),
                        PyBool_FromLong(again)};
    return record(6, keys, row);
}

/* trace_backward(ids, ops, grads float64, steps float64 [kept x 5]) -> one entry per gate,
   {"id", "op", "upstream", "inputs": [port...]}, as engine.tape_trace._backward builds. */
static PyObject *native_trace_backward(PyObject *self, PyObject *args) {
    PyObject *ids, *ops, *objs[2], *gates = NULL, *ports = NULL;
    Buf b[2] = {{.held = 0}, {.held = 0}};
    if (!PyArg_ParseTuple(args, "O!O!OO", &PyList_Type, &ids, &PyList_Type, &ops, &objs[0],
                          &objs[1]) ||
        get_buf(objs[0], &b[0], 8, 0) < 0 || get_buf(objs[1], &b[1], 8, 0) < 0) {
        release(b, 2);
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(ids), kept = b[1].view.len / 40, last = -1;
    const double *grads = b[0].view.buf, *steps = b[1].view.buf;
    unsigned char *received = PyMem_Calloc((size_t)n + 1, 1);
    int ok = received != NULL && PyList_GET_SIZE(ops) >= n && b[0].view.len / 8 >= n;
    for (Py_ssize_t e = 0; ok && e < kept; e++)
        ok = 0 <= steps[5 * e] && steps[5 * e] < n && 0 <= steps[5 * e + 1] && steps[5 * e + 1] < n;
    gates = ok ? PyList_New(0) : NULL;
    if (!ok && !PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "trace_backward: a step out of range");
    for (Py_ssize_t e = 0; gates != NULL && e < kept; e++) {
        const double *step = steps + 5 * e;
        Py_ssize_t s = (Py_ssize_t)step[0], d = (Py_ssize_t)step[1];
        if (d != last) {
            PyObject *keys[4] = {k_id, k_op, k_upstream, k_inputs};
            ports = PyList_New(0);
            PyObject *row[4] = {Py_NewRef(PyList_GET_ITEM(ids, d)),
                                Py_NewRef(PyList_GET_ITEM(ops, d)), PyFloat_FromDouble(grads[d]),
                                Py_XNewRef(ports)};
            PyObject *gate = record(4, keys, row);
            Py_XDECREF(ports); /* the gate holds it */
            if (gate == NULL || PyList_Append(gates, gate) < 0) {
                Py_XDECREF(gate);
                Py_CLEAR(gates);
                break;
            }
            Py_DECREF(gate);
            last = d;
        }
        PyObject *port = port_step(PyList_GET_SIZE(ports), PyList_GET_ITEM(ids, s), step,
                                   received[s]);
        received[s] = 1;
        if (port == NULL || PyList_Append(ports, port) < 0)
            Py_CLEAR(gates);
        Py_XDECREF(port);
    }
    PyMem_Free(received);
    release(b, 2);
    return gates;
}

/* ---------------------------------------------------------------- module */

static PyMethodDef methods[] = {
    {"flatten", native_flatten, METH_VARARGS,
     "flatten(nodes, table) -> the node arrays, or None where Python must look."},
    {"forward", native_forward, METH_VARARGS,
     "forward(kinds, a, b, k, slots, start, stop) -> first failing gate, or -1."},
    {"backward", native_backward, METH_VARARGS,
     "backward(gates, a, b, la, lb, grad, start, stop): the chain rule gate by gate."},
    {"backward_traced", native_backward_traced, METH_VARARGS,
     "backward_traced(src, dst, local, grad, steps, output) -> steps kept."},
    {"answer", native_answer, METH_VARARGS,
     "answer(ids, values, grads) -> the values, gradients and shapes dicts."},
    {"trace_forward", native_trace_forward, METH_VARARGS,
     "trace_forward(ids, ops, inputs, values) -> the trace's forward steps."},
    {"trace_backward", native_trace_backward, METH_VARARGS,
     "trace_backward(ids, ops, grads, steps) -> the trace's backward steps, gate by gate."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "engine._native",
                                    "The scalar tape's hot loops in C.", -1, methods};

static int intern_keys(void) {
    struct { PyObject **key; const char *name; } keys[] = {
        {&k_id, "id"}, {&k_op, "op"}, {&k_inputs, "inputs"}, {&k_value, "value"},
        {&k_upstream, "upstream"}, {&k_port, "port"}, {&k_input, "input"},
        {&k_local, "local"}, {&k_sent, "sent"}, {&k_total, "total"},
        {&k_accumulated, "accumulated"}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if ((*keys[i].key = PyUnicode_InternFromString(keys[i].name)) == NULL)
            return -1;
    return 0;
}

PyMODINIT_FUNC PyInit__native(void) {
    if (intern_keys() < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    const char *names[] = {"ADD", "SUB", "MUL", "DIV", "MAX", "MIN",
                           "POW", "EXP", "LOG", "TANH", "SIGMOID"};
    for (int i = 0; i < 11; i++)
        if (PyModule_AddIntConstant(m, names[i], i) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    return m;
}

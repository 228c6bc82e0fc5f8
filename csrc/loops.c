/* The tape's loops over arrays, with the GIL released (see native.h). */

#include <math.h>

#include "native.h"

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
PyObject *native_forward(PyObject *self, PyObject *args) {
    PyObject *objs[5];
    Py_ssize_t start, stop, failed = -1;
    Buf b[5];
    static const Py_ssize_t sizes[5] = {1, 8, 8, 8, 8};
    if (!PyArg_ParseTuple(args, "OOOOOnn", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &start, &stop) ||
        get_bufs(objs, b, 5, sizes, 1u << 4) < 0)
        return NULL;
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
PyObject *native_backward(PyObject *self, PyObject *args) {
    PyObject *objs[6];
    Py_ssize_t start, stop;
    Buf b[6];
    static const Py_ssize_t sizes[6] = {8, 8, 8, 8, 8, 8};
    if (!PyArg_ParseTuple(args, "OOOOOOnn", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &objs[5], &start, &stop) ||
        get_bufs(objs, b, 6, sizes, 1u << 5) < 0)
        return NULL;
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
PyObject *native_backward_traced(PyObject *self, PyObject *args) {
    PyObject *objs[5];
    Py_ssize_t output, kept = 0;
    Buf b[5];
    static const Py_ssize_t sizes[5] = {8, 8, 8, 8, 8};
    if (!PyArg_ParseTuple(args, "OOOOOn", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &output) ||
        get_bufs(objs, b, 5, sizes, (1u << 3) | (1u << 4)) < 0)
        return NULL;
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

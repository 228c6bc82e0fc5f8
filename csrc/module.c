/* The module engine._native: its functions, and the buffers they read (see native.h). */

#include "native.h"

int get_bufs(PyObject **objs, Buf *bufs, int count, const Py_ssize_t *sizes, unsigned writable) {
    for (int i = 0; i < count; i++)
        bufs[i].held = 0;
    for (int i = 0; i < count; i++) {
        int flags = PyBUF_C_CONTIGUOUS | ((writable >> i) & 1 ? PyBUF_WRITABLE : 0);
        if (PyObject_GetBuffer(objs[i], &bufs[i].view, flags) < 0) {
            release(bufs, count);
            return -1;
        }
        bufs[i].held = 1;
        if (bufs[i].view.itemsize != sizes[i]) {
            PyErr_SetString(PyExc_TypeError, "a buffer of the wrong item size");
            release(bufs, count);
            return -1;
        }
    }
    return 0;
}

void release(Buf *bufs, int count) {
    for (int i = 0; i < count; i++)
        if (bufs[i].held) {
            PyBuffer_Release(&bufs[i].view);
            bufs[i].held = 0;
        }
}


static PyMethodDef methods[] = {
    {"flatten", native_flatten, METH_VARARGS,
     "flatten(nodes, output, table) -> the node arrays and output, or None where Python must look."},
    {"forward", native_forward, METH_VARARGS,
     "forward(kinds, a, b, k, slots, start, stop) -> first failing gate, or -1."},
    {"backward", native_backward, METH_VARARGS,
     "backward(gates, a, b, la, lb, grad, start, stop): the chain rule gate by gate."},
    {"backward_traced", native_backward_traced, METH_VARARGS,
     "backward_traced(src, dst, local, grad, steps, output) -> steps kept."},
    {"answer", native_answer, METH_VARARGS,
     "answer(ids, values, grads) -> the values, gradients and shapes dicts."},
    {"trace_forward", native_trace_forward, METH_VARARGS,
     "trace_forward(ids, ops, inputs, values, found) -> the trace's forward steps."},
    {"trace_backward", native_trace_backward, METH_VARARGS,
     "trace_backward(ids, ops, grads, steps, gradients) -> the backward steps, gate by gate."},
    {"structure", native_structure, METH_VARARGS,
     "structure(circuit, group) -> the circuit's structure as bytes, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "engine._native",
                                    "The scalar tape's hot loops in C.", -1, methods};

PyMODINIT_FUNC PyInit__native(void) {
    if (native_intern_keys() < 0)
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

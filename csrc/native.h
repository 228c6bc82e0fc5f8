/* The scalar tape's hot loops in C, the extension engine._native: engine/native.py is
   the only caller (setup.py builds it from the .c files here).

   flatten.c  reads a circuit's node dicts in one pass, doing exactly the checks of
              engine.flat.read_nodes (and engine.bounds.check_bounds); anything unusual
              returns None and the Python path decides, naming the error.
   loops.c    the forward loop v[k] = f(v[a], v[b]), each op with the same libm call and
              operation order as its Python rule (engine.tape_ops), so the same bits; the
              backward pass gate by gate (engine.tape.Tape.backward) and edge by edge with
              every step kept (Tape.backward_traced). They release the GIL.
   idtable.c  the reader's table of node ids (their index by id).
   answer.c   the answer's dicts and the teaching trace's, from the arrays.
   byid.c     a dict by node id, filled fast (CPython 3.11: in place in a copy's table).
   key.c      a circuit's structure as bytes, the compiled-circuit cache's key.

   Build flags keep IEEE semantics: no fast-math, no contraction of a * b + c into one
   fused multiply-add (setup.py). */

#ifndef NATIVE_H
#define NATIVE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#if PY_VERSION_HEX < 0x030D0000
#define NEW_DICT(n) _PyDict_NewPresized(n) /* room for n entries from the start */
#else
#define NEW_DICT(n) PyDict_New()
#endif

/* forward kinds: the C twin of each Python rule (engine.native.KINDS) */
enum { K_ADD, K_SUB, K_MUL, K_DIV, K_MAX, K_MIN, K_POW, K_EXP, K_LOG, K_TANH, K_SIGMOID };

typedef struct {
    Py_buffer view;
    int held;
} Buf;

/* Each of `count` objects' C-contiguous buffer of items of sizes[i] bytes (writable where
   bit i of `writable` is set); -1 with an error set (every buffer then released). */
int get_bufs(PyObject **objs, Buf *bufs, int count, const Py_ssize_t *sizes, unsigned writable);
void release(Buf *bufs, int count);

/* Node ids (exact strs, borrowed) -> their index: open addressing on Python's str hash,
   which is randomised per process, so crafted ids cannot make a probe long. */
typedef struct {
    PyObject *key; /* NULL: an empty slot */
    uint32_t high; /* the hash's high half */
    int32_t index;
} IdSlot;

typedef struct {
    IdSlot *slots;
    size_t mask;
} IdTable;

int ids_init(IdTable *t, Py_ssize_t n); /* room for n ids; -1: MemoryError */
void ids_free(IdTable *t);
int64_t ids_find(const IdTable *t, PyObject *key);        /* -1: absent */
int ids_add(IdTable *t, PyObject *key, int64_t index);    /* 0: already there */

/* A value made for node k, from its `column` entry (NULL: an error is set). */
typedef PyObject *(*Make)(const double *column, Py_ssize_t k);

/* dict[key] = value (stolen; NULL: an error is set), written in place where the dict's
   entry k holds key and the layout is known (CPython 3.11); -1 on an error. */
int put_at(PyObject *dict, Py_ssize_t k, PyObject *key, PyObject *value);

/* x as a float: dict's entry k's own float object where that entry holds key and that
   float has x's bits (a dict of the answer: its floats are shared), else a new one. */
PyObject *float_at(PyObject *dict, Py_ssize_t k, PyObject *key, double x);

/* x as a float: `like` itself where it is a float of x's bits (or NULL), else a new one. */
PyObject *float_like(PyObject *like, double x);

/* {ids[k]: make(column, k)}, as a copy of `like` (same ids, same order) when not NULL. */
PyObject *dict_by_id(PyObject *ids, Make make, const double *column, PyObject *like);

/* The field names, interned (answer.c) */
extern PyObject *k_id, *k_op, *k_inputs, *k_params, *k_value, *k_nodes, *k_version, *k_output,
    *k_output_grad;

int native_intern_keys(void);
PyObject *native_flatten(PyObject *self, PyObject *args);
PyObject *native_forward(PyObject *self, PyObject *args);
PyObject *native_backward(PyObject *self, PyObject *args);
PyObject *native_backward_traced(PyObject *self, PyObject *args);
PyObject *native_answer(PyObject *self, PyObject *args);
PyObject *native_trace_forward(PyObject *self, PyObject *args);
PyObject *native_trace_backward(PyObject *self, PyObject *args);
PyObject *native_structure(PyObject *self, PyObject *args);

#endif

/**
 * One instance of each class a reconcile creates and drops, kept for the life of the module.
 *
 * V8 gives an object built by a class constructor a hidden class reached by transitions from the constructor's
 * initial one (one per field added), and those transitions are weak: when the last instance dies, its hidden
 * class can be collected. Every reconcile drops all of its tables and entries, so the first full collection after
 * a reconcile took their hidden classes with them, and with them every optimized function that had checked for
 * them ("weak objects" deoptimizations): the next reconcile started in the interpreter, and allocated young (and
 * had copied by the scavenger) what optimized code pretenures. A kept instance keeps each hidden class alive, so
 * new instances reach the very same one. Object literals need nothing: their boilerplate holds their shape.
 */
const kept: object[] = [];

export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}

// module: globalthis
// triggers: globalThis
// defines: globalThis
//
// globalThis: the global object.
Object.defineProperty(this, "globalThis", { value: this, enumerable: false, writable: true, configurable: true });

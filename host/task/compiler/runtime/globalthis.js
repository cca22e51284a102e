// module: globalthis
// triggers: globalThis
//
// globalThis: the global object.
Object.defineProperty(this, "globalThis", { value: this, enumerable: false, writable: true, configurable: true });

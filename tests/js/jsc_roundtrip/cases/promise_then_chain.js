Promise.resolve(1).then(v => v + 1).then(v => { console.log(v); return Promise.reject(new Error("e")) }).catch(e => console.log(e.message)).finally(() => console.log("fin"));

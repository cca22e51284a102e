try { throw new Error("x") } catch (e) { console.log(e.message) }

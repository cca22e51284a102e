try { throw 1 } catch { console.log("caught") } try { } catch { } finally { console.log("fin") }

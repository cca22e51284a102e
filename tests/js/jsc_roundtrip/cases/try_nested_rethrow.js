try { try { throw new Error("inner") } catch (e) { throw new Error("outer:" + e.message) } finally { console.log("f") } } catch (e) { console.log(e.message) }

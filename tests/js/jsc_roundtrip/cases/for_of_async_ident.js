var async; for (async in {x: 1}) console.log(async); for ((async) of [7]) console.log(async);

function* g() { yield {a: 1}; yield /re/g; yield [1]; yield `t`; yield -1; yield } console.log(JSON.stringify([...g()].map(String)));

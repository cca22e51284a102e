// stack-has: main.js:7:13
// message-has: Error: job 2 failed
async function main(input) {
  const run = async (id) => {
    for (let i = 0; i < id; i++) await null;
    if (id === 2)
      throw new Error(`job ${id} failed`);
    return id;
  };
  return Promise.all([1, 2, 3].map(run));
}

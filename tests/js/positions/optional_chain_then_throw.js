// stack-has: main.js:7:22
// message-has: Error: missing city
function main(input) {
  const user = { address: null };
  const city = user?.address?.city ?? null;
  const fail = () => {
    if (!city) throw new Error('missing city');
  };
  fail();
  return city;
}

// stack-has: main.js:8:9
// message-has: HttpProblem: upstream said 503
function main(input) {
  class HttpProblem extends Error { constructor(status) { super(`upstream said ${status}`); this.name = 'HttpProblem'; } }
  const call = () => ({ status: 503 });
  const r = call();
  if (r.status >= 500) throw (
        new HttpProblem(r.status));
  return r;
}

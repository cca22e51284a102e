// A global `function main`, destructuring its input and answering with a template literal.
function main({ value }) {
    return { result: `Hello, ${value}` };
}

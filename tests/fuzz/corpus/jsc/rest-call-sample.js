// The original Ratchet's REST call sample: a `function main` and a trailing `main;` (the
// script's value), a synchronous fetch, and the parsed JSON body returned as it came.
function main(input) {
    const { id } = input;

    const result = fetch(`https://api.restful-api.dev/objects/${id}`, {
        method: 'GET',
        headers: { 'Content-Type': 'application/json' }
    });

    return result.body;
}

// The script's value: the function to call.
main;

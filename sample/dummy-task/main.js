function main(input) {
    return { result: 'Hello, ' + input.value };
}

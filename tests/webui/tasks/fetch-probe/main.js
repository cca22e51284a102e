// Fetches `url` `times` times, one after the other, with a console line after each answer.
async function main({ url, times = 2 }) {
    const statuses = [];
    for (let i = 1; i <= times; i++) {
        const response = await fetch(url);
        statuses.push(response.status);
        console.log(`answer ${i}: ${response.status}`);
    }
    return { statuses };
}

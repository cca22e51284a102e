// Fetches the current weather. This sample uses the original Ratchet's synchronous fetch:
// fetch(url, options, body) returns {ok, status, statusText, headers, body} with the JSON
// body already parsed, and throws a typed error for a failed request.
function main(input) {
    const { city, units = 'metric', api_key: apiKey = 'demo' } = input;
    const url = 'https://api.openweathermap.org/data/2.5/weather' +
        `?q=${encodeURIComponent(city)}&units=${units}&appid=${apiKey}`;
    let response;
    try {
        response = fetch(url, { method: 'GET', headers: { Accept: 'application/json' } });
    } catch (e) {
        if (e instanceof HttpError && e.status === 404) {
            throw new DataError(`city not found: ${city}`);
        }
        throw e; // NetworkError, AuthenticationError, RateLimitError, ...
    }
    const { name, sys, main: reading, weather } = response.body ?? {};
    const current = weather?.[0];
    if (!reading || !current) {
        throw new DataError('unexpected response from the weather service');
    }
    console.log(`weather for ${name}: ${current.description}`);
    return {
        location: `${name}, ${sys?.country}`,
        temperature: reading.temp,
        units: units === 'imperial' ? 'F' : 'C',
        description: current.description,
        humidity: reading.humidity
    };
}

// Fetches the current weather; fetch(url, options, body) is synchronous.
function main(input) {
    var units = input.units || 'metric';
    var url = 'https://api.openweathermap.org/data/2.5/weather?q=' +
        encodeURIComponent(input.city) + '&units=' + units + '&appid=' + (input.api_key || 'demo');
    var response;
    try {
        response = fetch(url, { method: 'GET', headers: { Accept: 'application/json' } });
    } catch (e) {
        if (e instanceof HttpError && e.status === 404) {
            throw new DataError('city not found: ' + input.city);
        }
        throw e; // NetworkError, AuthenticationError, RateLimitError, ...
    }
    var body = response.body;
    if (!body || !body.main || !body.weather || !body.weather.length) {
        throw new DataError('unexpected response from the weather service');
    }
    console.log('weather for ' + body.name + ': ' + body.weather[0].description);
    return {
        location: body.name + ', ' + body.sys.country,
        temperature: body.main.temp,
        units: units === 'imperial' ? 'F' : 'C',
        description: body.weather[0].description,
        humidity: body.main.humidity
    };
}

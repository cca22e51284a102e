// The original Ratchet's fetch test, in the promise style: `await fetch(url, options)` and
// `await response.json()`. A failed request (fetch throws a typed error, and `await` inside
// try/catch sees it) is not the task's failure: it answers success: false with the error.
const BASE_URL = 'https://httpbin.org';
const USER_AGENT = 'Ratchet-Test-Fetch/1.0';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// When the server answered: its Date header ("Tue, 01 Jul 2025 10:00:00 GMT") as ISO 8601,
// else the local clock.
const answeredAt = (response) => {
    const date = response?.headers?.get('date') ?? '';
    const [, day, month, year, hh, mm, ss] =
        /(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT/.exec(date) ?? [];
    const m = MONTHS.indexOf(month);
    return m < 0 ? new Date().toISOString()
        : new Date(Date.UTC(+year, m, +day, +hh, +mm, +ss)).toISOString();
};

const errorType = (error) =>
    error instanceof NetworkError ? 'NetworkError'
        : error instanceof DataError ? 'DataError'
            : 'UnknownError';

async function main(input, context) {
    const { endpoint = '/json', include_headers = false } = input;
    const url = `${BASE_URL}${endpoint}`;
    const execution_context = context ? context.executionId ?? 'unknown' : 'no-context';
    const headers = { 'User-Agent': USER_AGENT };
    if (include_headers) {
        headers['X-Test-Header'] = 'Ratchet-Sample-Task';
        headers.Accept = 'application/json';
    }
    const request_info = { method: 'GET', url, headers_sent: headers, headers_included: include_headers };

    try {
        const response = await fetch(url, { method: 'GET', headers });
        if (!response.ok) {
            throw new NetworkError(`HTTP ${response.status}: ${response.statusText || 'Request failed'}`);
        }
        const response_body = await response.json();
        console.log(`GET ${url}: ${response.status}`);
        return {
            success: true,
            status: response.status,
            url,
            data: {
                response_body,
                request_info,
                fetch_metadata: { endpoint_requested: endpoint, timestamp: answeredAt(response), execution_context }
            }
        };
    } catch (error) {
        console.warn(`GET ${url} failed: ${error.name}: ${error.message}`);
        return {
            success: false,
            status: 0,
            url,
            data: {
                response_body: null,
                request_info: { ...request_info, error: error.message, error_type: errorType(error) },
                fetch_metadata: {
                    endpoint_requested: endpoint,
                    timestamp: new Date().toISOString(),
                    execution_context,
                    failed: true
                }
            }
        };
    }
}

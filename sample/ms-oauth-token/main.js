// The original Ratchet's OAuth sample: the client credentials flow against Microsoft Entra
// ID. The form goes as fetch's third argument; with Content-Type
// application/x-www-form-urlencoded a string body is sent as it is (anything else as JSON).
// A refused secret comes back as 401 and fetch throws AuthenticationError.
(function (input) {
    const { TENANT_ID, CLIENT_ID, CLIENT_SECRET } = input;

    const TOKEN_URL = `https://login.microsoftonline.com/${encodeURIComponent(TENANT_ID)}/oauth2/v2.0/token`;
    const SCOPE = 'https://api.security.microsoft.com/.default';

    // An array of pairs keeps the fields in this order (MuJS sorts plain object keys).
    const form = [
        ['grant_type', 'client_credentials'],
        ['client_id', CLIENT_ID],
        ['client_secret', CLIENT_SECRET],
        ['scope', SCOPE]
    ];
    const body = form
        .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
        .join('&');

    const { body: response } = fetch(TOKEN_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' }
    }, body);

    const token = response?.access_token;
    if (!token) {
        throw new AuthenticationError(`Failed to get access token: ${JSON.stringify(response)}`);
    }
    return { token };
})

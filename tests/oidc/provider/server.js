// A real OpenID Connect provider for Sprachrohr's sign-in tests (npm oidc-provider).
//
// Environment: PORT (loopback port), CLIENT_ID, CLIENT_SECRET, REDIRECT_URI,
// ACCOUNTS (JSON: {login: {tid, email, name}}) and optionally TENANT: then the
// provider is that Entra-style tenant, at /TENANT/v2.0, and
// /organizations/v2.0/.well-known/openid-configuration answers like Entra's
// multi-tenant discovery (issuer with a {tenantid} placeholder).
//
// Sign-in uses oidc-provider's development interactions: a login form (any
// password) and a consent form, both plain HTML forms a test can post.
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const tenant = process.env.TENANT || '';
const base = `http://127.0.0.1:${port}`;
const mount = tenant ? `/${tenant}/v2.0` : '';
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');

const provider = new Provider(`${base}${mount}`, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }],
  pkce: { required: () => true },
  claims: {
    openid: ['sub', 'tid'],
    email: ['email'],
    profile: ['name', 'preferred_username'],
  },
  // Entra puts the profile claims into the ID token: so does this provider.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['only-for-tests'] },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: account.email, ...account };
      },
    };
  },
});
provider.proxy = false;
const callback = provider.callback();

const server = http.createServer((req, res) => {
  if (tenant && req.url === '/organizations/v2.0/.well-known/openid-configuration') {
    fetch(`${base}${mount}/.well-known/openid-configuration`)
      .then((r) => r.json())
      .then((doc) => {
        doc.issuer = `${base}/{tenantid}/v2.0`;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(doc));
      });
    return;
  }
  if (mount) {
    if (!req.url.startsWith(mount)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    req.originalUrl = req.url;
    req.url = req.url.slice(mount.length) || '/';
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${base}${mount}\n`);
});

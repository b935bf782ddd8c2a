// Checks our webhook signatures with implementations that are not ours: npm 'standardwebhooks' (the
// specification's reference library) for v1, Node's own crypto for v1a. One JSON request on stdin, one
// JSON answer on stdout. Run by StandardWebhooksNpmTests with NODE_PATH at the repository's node_modules.
'use strict';
const crypto = require('node:crypto');
const { Webhook } = require('standardwebhooks');

const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const body = Buffer.from(input.body, 'base64');

function answer(value) {
  process.stdout.write(JSON.stringify(value));
}

switch (input.op) {
  case 'verify':
    try {
      new Webhook(input.secret).verify(body, input.headers);
      answer({ verified: true });
    } catch (e) {
      answer({ verified: false, error: String(e.message) });
    }
    break;
  case 'sign':
    answer({ signature: new Webhook(input.secret).sign(input.id, new Date(input.timestamp * 1000), body) });
    break;
  case 'verify-v1a': {
    // The keys come from our JWKS document, as a receiver would take them; any v1a signature by any key.
    const keys = input.jwks.keys.map(jwk => ({ kid: jwk.kid, key: crypto.createPublicKey({ key: jwk, format: 'jwk' }) }));
    const content = Buffer.concat([Buffer.from(`${input.headers['webhook-id']}.${input.headers['webhook-timestamp']}.`), body]);
    const signatures = input.headers['webhook-signature'].split(' ')
      .filter(s => s.startsWith('v1a,')).map(s => Buffer.from(s.slice(4), 'base64'));
    const match = keys.find(k => signatures.some(s => crypto.verify(null, content, k.key, s)));
    answer({ verified: match !== undefined, kid: match?.kid ?? null, keyTypes: keys.map(k => k.key.asymmetricKeyType) });
    break;
  }
  default:
    answer({ error: `unknown op ${input.op}` });
}

'use strict';
// A minimal ClickHouse HTTP interface in front of chdb (ClickHouse's engine in-process, from npm), so
// that clients written for a ClickHouse server (client-v2, clickhouse-jdbc) can be tested against a
// current engine on a machine that only has an old server. Started by ClickHouseServer.startChdb().
//
//   node chdb-http-front.js <home-directory>       (NODE_PATH must reach the chdb package)
//
// It writes the port it listens on (127.0.0.1, chosen by the OS) to <home>/port and keeps its data
// in <home>/data. Users come from the environment variable CHDB_FRONT_USERS (JSON {"name":"password"}).
//
// What it implements of the HTTP interface: POST (and GET) with the query in the body and/or the
// `query` URL parameter (joined by a newline, as the server does), `database`, `default_format`
// (TabSeparated when absent), `param_<name>` bound parameters ({name:Type}), any other URL parameter
// as a setting of that query, `user`/`password`, Basic and X-ClickHouse-User/-Key authentication,
// `query_id`, `/ping` and `/`, and errors as a non-200 status with the X-ClickHouse-Exception-Code
// header and ClickHouse's "Code: N. DB::Exception: ..." text. An INSERT whose query ends in
// `FORMAT <fmt>` takes its data from the body (any input format, RowBinary included).
//
// What it does not implement, and refuses rather than ignores (so no test can pass by accident):
// compressed responses or requests (`compress=1`, `decompress=1`, `enable_http_compression=1`,
// Content-Encoding), HTTP sessions (`session_id`), multipart requests. And it is not a streaming server: a request body
// is received completely before the query starts, every result is computed completely before the
// first byte is sent (so an error never arrives in the middle of a body), and queries run one at a
// time. Tests of those behaviours stay on a real clickhouse-server.

const http = require('http');
const fs = require('fs');
const path = require('path');
const chdb = require('chdb');

const home = path.resolve(process.argv[2] || '.');
const users = JSON.parse(process.env.CHDB_FRONT_USERS || '{"default":""}');
const dataDir = path.join(home, 'data');
const uploads = path.join(home, 'uploads');
fs.mkdirSync(dataDir, { recursive: true });
fs.mkdirSync(uploads, { recursive: true });

const session = new chdb.Session(dataDir);
const engineVersion = session.query('SELECT version()', 'TabSeparated').trim();

// URL parameters that are not settings. The ones with a value here are refused when they ask for
// something this front does not do; the rest are accepted and need nothing.
const RESERVED = new Set(['query', 'database', 'default_format', 'user', 'password', 'query_id',
  'quota_key', 'wait_end_of_query', 'buffer_size', 'client_protocol_version', 'stacktrace',
  'compress', 'decompress', 'session_id', 'session_timeout', 'session_check']);

class HttpError extends Error {
  constructor(status, code, name, message) {
    super(message);
    this.status = status;
    this.code = code;
    this.codeName = name;
  }
}

function unsupported(what) {
  return new HttpError(501, 1, 'UNSUPPORTED_METHOD',
    what + ' is not supported by the chdb test front (test it against a real clickhouse-server)');
}

// The HTTP statuses a server gives the codes clients act on (others: 500).
function statusOf(code) {
  if ([192, 193, 194, 195, 516].includes(code)) return 403;
  if ([497, 164].includes(code)) return 403;
  if ([60, 81, 16, 47].includes(code)) return 404;
  if ([62, 27, 26, 53, 115, 456, 457].includes(code)) return 400;
  return 500;
}

// Everything runs through one chain: USE and SET change the session's state for the query after
// them, so two requests must never interleave.
let chain = Promise.resolve();
function exclusive(work) {
  const result = chain.then(work);
  chain = result.then(() => {}, () => {});
  return result;
}

// A bound parameter's value arrives in ClickHouse's "escaped" text form, parsed by the server as a
// TabSeparated field is (ReadHelpers' parseComplexEscapeSequence): \xHH is a byte, \b \f \n \r \t
// \0 \a \v \e are control characters, \N inside a value is nothing, \\ \' \" \` \/ \= are the character
// itself, any other \c stays \c (backslash kept); a raw tab or newline ends the field, so the value is
// "not parsed completely" (BAD_QUERY_PARAMETER), as is a backslash at the end. chdb escapes a JS
// string itself, so the value is decoded here exactly as the server would and chdb's escaping
// hands the engine the same bytes. A whole value of \N stays NULL for the engine to judge by type.
// Bytes that are not UTF-8 cannot make a JS string: refused, never sent as some other string.
const ESCAPES = { a: 7, b: 8, e: 27, f: 12, n: 10, r: 13, t: 9, v: 11, '0': 0 };
const KEEP_BACKSLASH_EXCEPT = new Set([0x5c, 0x27, 0x22, 0x60, 0x2f, 0x3d]);

function badParameter(name, text, why) {
  return new HttpError(400, 457, 'BAD_QUERY_PARAMETER',
    'Value ' + text + ' cannot be parsed as a value for query parameter \'' + name + '\' because ' + why);
}

function unescapeParam(name, text) {
  if (text === '\\N') return null;
  const src = Buffer.from(text, 'utf8');
  const bytes = [];
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0x09 || b === 0x0a) {
      throw badParameter(name, text, "it isn't parsed completely: only " + i + ' of ' + src.length + ' bytes was parsed');
    }
    if (b !== 0x5c) {
      bytes.push(b);
      continue;
    }
    if (i + 1 >= src.length) {
      throw badParameter(name, text, 'of a backslash at its end (Cannot parse escape sequence)');
    }
    const c = String.fromCharCode(src[++i]);
    if (c === 'x') {
      const hex = src.toString('latin1', i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw badParameter(name, text, 'of \\x without two hex digits (Cannot parse escape sequence)');
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === 'N') {
      // nothing: \N inside a value is an empty string
    } else {
      const decoded = c in ESCAPES ? ESCAPES[c] : src[i];
      if (!KEEP_BACKSLASH_EXCEPT.has(decoded) && decoded > 31) {
        bytes.push(0x5c);
      }
      bytes.push(decoded);
    }
  }
  const raw = Buffer.from(bytes);
  const value = raw.toString('utf8');
  if (!Buffer.from(value, 'utf8').equals(raw)) {
    throw new HttpError(400, 457, 'BAD_QUERY_PARAMETER',
      'Value of parameter ' + name + ' is not UTF-8 (the chdb test front cannot bind it)');
  }
  return value;
}

function authenticate(req, url) {
  let user = url.searchParams.get('user');
  let password = url.searchParams.get('password');
  if (req.headers['x-clickhouse-user']) {
    user = req.headers['x-clickhouse-user'];
    password = req.headers['x-clickhouse-key'] || '';
  }
  const auth = req.headers.authorization;
  if (user === null && auth && auth.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    user = colon < 0 ? decoded : decoded.slice(0, colon);
    password = colon < 0 ? '' : decoded.slice(colon + 1);
  }
  if (user === null || user === '') user = 'default';
  if (password === null) password = '';
  if (!Object.prototype.hasOwnProperty.call(users, user) || users[user] !== password) {
    throw new HttpError(403, 516, 'AUTHENTICATION_FAILED', user
      + ': Authentication failed: password is incorrect, or there is no user with such name');
  }
  return user;
}

function quoteString(s) {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

function quoteIdentifier(s) {
  return '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

// The body, whole: into memory when it is the query, into a file when it is an INSERT's data.
function receive(req, file) {
  return new Promise((resolve, reject) => {
    if (file) {
      const out = fs.createWriteStream(file);
      req.pipe(out);
      out.on('finish', () => resolve(null));
      out.on('error', reject);
      req.on('error', reject);
    } else {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    }
  });
}

const OUTPUT_FORMAT = /\bFORMAT\s+([A-Za-z0-9_]+)\s*(?:SETTINGS\s[\s\S]*)?;?\s*$/i;
const INSERT_WITH_DATA = /^\s*INSERT\s+INTO\s+([\s\S]+?)\s+FORMAT\s+(\w+)\s*;?\s*$/i;
let uploadCount = 0;

async function handle(req, res, url) {
  authenticate(req, url);
  const params = url.searchParams;
  if (params.get('compress') === '1' || params.get('decompress') === '1'
      || params.get('enable_http_compression') === '1' || req.headers['content-encoding']) {
    throw unsupported('compression (compress, decompress, enable_http_compression, Content-Encoding)');
  }
  if (params.get('session_id')) {
    throw unsupported('an HTTP session (session_id)');
  }
  if (String(req.headers['content-type'] || '').startsWith('multipart/')) {
    throw unsupported('a multipart request (query parameters in the body)');
  }
  const settings = [];
  const bound = {};
  for (const [name, value] of params) {
    if (name.startsWith('param_')) {
      bound[name.slice(6)] = unescapeParam(name.slice(6), value);
    } else if (!RESERVED.has(name)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new HttpError(400, 115, 'UNKNOWN_SETTING', "Unknown setting '" + name + "'");
      }
      settings.push([name, value]);
    }
  }

  const urlQuery = params.get('query');
  let sql;
  let upload = null;
  const insert = urlQuery !== null && req.method === 'POST' ? INSERT_WITH_DATA.exec(urlQuery) : null;
  if (insert) {
    upload = path.join(uploads, 'body-' + process.pid + '-' + (uploadCount++));
    await receive(req, upload);
    sql = 'INSERT INTO ' + insert[1] + ' FROM INFILE ' + quoteString(upload) + ' FORMAT ' + insert[2];
  } else {
    const body = await receive(req, null);
    const text = body.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(body)) {
      throw new HttpError(400, 62, 'SYNTAX_ERROR', 'the query is not UTF-8');
    }
    sql = urlQuery === null ? text : (text.length ? urlQuery + '\n' + text : urlQuery);
  }
  if (!sql.trim()) {
    throw new HttpError(400, 62, 'SYNTAX_ERROR', 'Empty query');
  }
  const format = params.get('default_format') || 'TabSeparated';
  const database = params.get('database') || 'default';
  // clients decode by the X-ClickHouse-Format header, so it names the format the result is in
  const named = insert ? null : OUTPUT_FORMAT.exec(sql);
  res.outputFormat = named ? named[1] : format;

  try {
    return await exclusive(async () => {
      await session.queryAsync('USE ' + quoteIdentifier(database));
      const changed = [];
      try {
        for (const [name, value] of settings) {
          await session.queryAsync('SET ' + name + ' = ' + quoteString(value));
          changed.push(name);
        }
        return Object.keys(bound).length
          ? await session.queryBindAsync(sql, bound, { format })
          : await session.queryAsync(sql, { format });
      } finally {
        for (const name of changed) {
          await session.queryAsync('SET ' + name + ' = DEFAULT').catch(() => {});
        }
      }
    });
  } finally {
    if (upload) fs.rm(upload, () => {});
  }
}

const CODE = /Code: (\d+)/;
const CODE_NAME = /\(([A-Z_]+)\)\s*$/;

function fail(res, e, queryId) {
  let status;
  let code;
  let text;
  if (e instanceof HttpError) {
    status = e.status;
    code = e.code;
    text = 'Code: ' + code + '. DB::Exception: ' + e.message + '. (' + e.codeName + ')';
  } else {
    text = String(e && e.message != null ? e.message : e);
    const m = CODE.exec(text);
    code = m ? parseInt(m[1], 10) : (e && e.clickhouseCode) || 1001;
    if (!m) text = 'Code: ' + code + '. DB::Exception: ' + text + '. (STD_EXCEPTION)';
    status = statusOf(code);
  }
  if (!CODE_NAME.test(text)) text += '.';
  const body = Buffer.from(text + ' (version ' + engineVersion + ')\n', 'utf8');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=UTF-8',
    'Content-Length': body.length,
    'X-ClickHouse-Exception-Code': String(code),
    'X-ClickHouse-Query-Id': queryId,
    'X-ClickHouse-Server-Display-Name': 'chdb-front',
  });
  res.end(body);
}

let queryCount = 0;
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const queryId = url.searchParams.get('query_id') || ('chdb-front-' + process.pid + '-' + (queryCount++));
  if (url.pathname === '/ping' || (url.pathname === '/' && req.method === 'GET' && !url.searchParams.has('query'))) {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': 4 });
    res.end('Ok.\n');
    return;
  }
  if (url.pathname !== '/' || (req.method !== 'POST' && req.method !== 'GET')) {
    req.resume();
    fail(res, new HttpError(404, 1, 'UNSUPPORTED_METHOD', 'no handler for ' + req.method + ' ' + url.pathname), queryId);
    return;
  }
  if (process.env.CHDB_FRONT_LOG) {
    process.stderr.write(req.method + ' ' + req.url + '\n');
  }
  handle(req, res, url).then((result) => {
    const bytes = Buffer.from(result.bytes().buffer, result.bytes().byteOffset, result.bytes().byteLength);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': bytes.length,
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Format': res.outputFormat,
      'X-ClickHouse-Timezone': 'UTC',
      'X-ClickHouse-Server-Display-Name': 'chdb-front',
      'X-ClickHouse-Summary': JSON.stringify({ read_rows: String(result.rowsRead),
        read_bytes: String(result.bytesRead), written_rows: '0', written_bytes: '0',
        total_rows_to_read: '0', result_rows: '0', result_bytes: String(bytes.length),
        elapsed_ns: String(Math.round(result.elapsed * 1e9)) }),
    });
    res.end(bytes);
  }, (e) => {
    req.resume();
    fail(res, e, queryId);
  });
});
// longer than a client's pooled connection waits between queries, as a server's keep_alive_timeout
server.keepAliveTimeout = 10000;
server.headersTimeout = 15000;
server.requestTimeout = 0;

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const tmp = path.join(home, 'port.tmp');
  fs.writeFileSync(tmp, String(port));
  fs.renameSync(tmp, path.join(home, 'port'));
});

function stop() {
  server.close();
  try { session.close(); } catch (e) { /* exiting anyway */ }
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

/**
 * A small nginx.conf reader for tests: parses the directive tree and emulates how nginx picks
 * the location for a request URI, so routing can be checked without running nginx.
 */

export interface NginxDirective {
  readonly name: string;
  readonly args: readonly string[];
  /** Present for block directives (`http { ... }`, `location /x { ... }`). */
  readonly block?: readonly NginxDirective[];
}

type Token = { kind: 'word'; value: string } | { kind: 'open' } | { kind: 'close' } | { kind: 'semi' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '{') {
      tokens.push({ kind: 'open' });
      i++;
    } else if (ch === '}') {
      tokens.push({ kind: 'close' });
      i++;
    } else if (ch === ';') {
      tokens.push({ kind: 'semi' });
      i++;
    } else if (ch === '"' || ch === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== ch) {
        // Like nginx: \" \' and \\ are unescaped, any other backslash stays (regexes need it).
        if (text[i] === '\\' && (text[i + 1] === ch || text[i + 1] === '\\')) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) throw new Error(`nginx.conf: unterminated string starting ${ch}${value}`);
      i++;
      tokens.push({ kind: 'word', value });
    } else {
      let value = '';
      while (i < text.length && !/[\s{};]/.test(text[i])) {
        value += text[i];
        i++;
      }
      tokens.push({ kind: 'word', value });
    }
  }
  return tokens;
}

/** Parses nginx.conf text into its directive tree; throws on unbalanced braces or a missing `;`. */
export function parseNginxConf(text: string): NginxDirective[] {
  const tokens = tokenize(text);
  let pos = 0;

  function parseBlock(nested: boolean): NginxDirective[] {
    const directives: NginxDirective[] = [];
    let words: string[] = [];
    while (pos < tokens.length) {
      const token = tokens[pos++];
      switch (token.kind) {
        case 'word':
          words.push(token.value);
          break;
        case 'semi':
          if (words.length === 0) throw new Error('nginx.conf: empty directive');
          directives.push({ name: words[0], args: words.slice(1) });
          words = [];
          break;
        case 'open': {
          if (words.length === 0) throw new Error('nginx.conf: block without a name');
          const block = parseBlock(true);
          directives.push({ name: words[0], args: words.slice(1), block });
          words = [];
          break;
        }
        case 'close':
          if (!nested) throw new Error('nginx.conf: unexpected }');
          if (words.length > 0) throw new Error(`nginx.conf: missing ; after ${words.join(' ')}`);
          return directives;
      }
    }
    if (nested) throw new Error('nginx.conf: missing }');
    if (words.length > 0) throw new Error(`nginx.conf: missing ; after ${words.join(' ')}`);
    return directives;
  }

  return parseBlock(false);
}

/** The directives named `name` directly inside `block`. */
export function children(block: readonly NginxDirective[], name: string): NginxDirective[] {
  return block.filter((d) => d.name === name);
}

/** The single `http { }` block's directives. */
export function httpBlock(conf: readonly NginxDirective[]): readonly NginxDirective[] {
  const http = children(conf, 'http');
  if (http.length !== 1 || !http[0].block) throw new Error('nginx.conf: expected exactly one http block');
  return http[0].block;
}

/** Upstream name -> its `server` addresses (`host:port`). */
export function upstreams(conf: readonly NginxDirective[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const upstream of children(httpBlock(conf), 'upstream')) {
    result.set(
      upstream.args[0],
      children(upstream.block ?? [], 'server').map((s) => s.args[0]),
    );
  }
  return result;
}

/** The `server { }` blocks whose `listen` includes `port` (e.g. 443). */
export function serversListeningOn(conf: readonly NginxDirective[], port: number): NginxDirective[] {
  return children(httpBlock(conf), 'server').filter((server) =>
    children(server.block ?? [], 'listen').some((listen) => {
      const address = listen.args[0];
      return address === String(port) || address.endsWith(`:${port}`);
    }),
  );
}

export interface NginxLocation {
  readonly modifier: '=' | '^~' | '~' | '~*' | '';
  readonly pattern: string;
  readonly directive: NginxDirective;
}

/** The server's top-level locations in file order. */
export function locations(server: NginxDirective): NginxLocation[] {
  return children(server.block ?? [], 'location').map((directive) => {
    const [first, second] = directive.args;
    if (second === undefined) return { modifier: '', pattern: first, directive };
    if (first === '=' || first === '^~' || first === '~' || first === '~*') {
      return { modifier: first, pattern: second, directive };
    }
    throw new Error(`nginx.conf: unknown location modifier ${first}`);
  });
}

/**
 * The location nginx would choose for `requestTarget` (path plus optional query string),
 * following nginx's documented order: an exact `=` match wins; otherwise the longest matching
 * prefix is remembered and wins outright if it has `^~`; otherwise regular expressions are tried
 * in file order and the first match wins; otherwise the remembered prefix is used.
 * The query string is not part of the URI nginx matches locations against.
 */
export function matchLocation(server: NginxDirective, requestTarget: string): NginxLocation | undefined {
  const uri = requestTarget.split('?')[0];
  const all = locations(server);

  const exact = all.find((l) => l.modifier === '=' && l.pattern === uri);
  if (exact) return exact;

  let longest: NginxLocation | undefined;
  for (const l of all) {
    if ((l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.pattern)) {
      if (!longest || l.pattern.length > longest.pattern.length) longest = l;
    }
  }
  if (longest?.modifier === '^~') return longest;

  for (const l of all) {
    if (l.modifier === '~' || l.modifier === '~*') {
      if (new RegExp(l.pattern, l.modifier === '~*' ? 'i' : '').test(uri)) return l;
    }
  }
  return longest;
}

/** The upstream a location proxies to (`proxy_pass http://NAME[/...]`), if any. */
export function proxiedUpstream(location: NginxLocation): string | undefined {
  const proxyPass = children(location.directive.block ?? [], 'proxy_pass')[0];
  if (!proxyPass) return undefined;
  const match = /^https?:\/\/([^/:]+)/.exec(proxyPass.args[0]);
  return match?.[1];
}

/**
 * The value of an array-like directive (`proxy_set_header`, `add_header`) in effect in a location,
 * with nginx's inheritance rule: a level inherits its parent's directives only if it defines
 * none of its own.
 */
export function effectiveDirectives(
  levels: readonly (readonly NginxDirective[])[],
  name: string,
): NginxDirective[] {
  for (let i = levels.length - 1; i >= 0; i--) {
    const own = children(levels[i], name);
    if (own.length > 0) return own;
  }
  return [];
}

/** Whether a location refuses every request (`deny all`, or `return` with a 4xx status). */
export function isDenied(location: NginxLocation): boolean {
  const block = location.directive.block ?? [];
  const denyAll = children(block, 'deny').some((d) => d.args[0] === 'all');
  const returns4xx = children(block, 'return').some((d) => /^4\d\d$/.test(d.args[0]));
  return denyAll || returns4xx;
}

import { formatTextLine, TextLines } from './text-lines';

const TIME = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] /;

describe('formatTextLine', () => {
  const time = new Date().toISOString();

  it('writes the level, the context and the message on one line', () => {
    const line = formatTextLine({ level: 'warn', time, context: 'Config', msg: 'careful' });
    expect(line).toMatch(TIME);
    expect(line.replace(TIME, '')).toBe('WARN: [Config] careful\n');
  });

  it('leaves out what an access line says in its message already', () => {
    const line = formatTextLine({
      level: 'info',
      time,
      context: 'HTTP',
      req_id: 'abc',
      method: 'GET',
      path: '/api/rooms',
      status: 200,
      ms: 1.2,
      msg: 'GET /api/rooms 200 1.2ms',
    });
    expect(line.replace(TIME, '')).toBe('INFO: [HTTP] GET /api/rooms 200 1.2ms\n');
  });

  it('appends other fields as JSON and puts a stack on the lines below', () => {
    const line = formatTextLine({
      level: 'error',
      time,
      msg: 'failed',
      data: { room: 3 },
      stack: 'Error: failed\n    at somewhere',
    });
    expect(line.replace(TIME, '')).toBe(
      'ERROR: failed {"data":{"room":3}}\n    Error: failed\n        at somewhere\n',
    );
  });

  it('colours the level only when asked', () => {
    expect(formatTextLine({ level: 'error', time, msg: 'x' }, true)).toContain(
      '\x1b[31mERROR\x1b[0m',
    );
    expect(formatTextLine({ level: 'error', time, msg: 'x' })).not.toContain('\x1b[');
  });
});

describe('TextLines', () => {
  it('formats each JSON line pino writes before passing it on', () => {
    const written: string[] = [];
    const lines = new TextLines({ write: (text: string) => written.push(text) }, false);
    lines.write(
      `${JSON.stringify({ level: 'info', time: new Date().toISOString(), msg: 'hi' })}\n`,
    );
    expect(written).toHaveLength(1);
    expect(written[0].replace(TIME, '')).toBe('INFO: hi\n');
  });
});

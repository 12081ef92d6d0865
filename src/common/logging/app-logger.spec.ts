import { LogCapture } from '../../../test/support/log-capture';
import { AppLogger } from './app-logger';
import { createLogRoot } from './log-root';

describe('AppLogger', () => {
  const loggerAt = (levels: ('fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose')[]) => {
    const capture = new LogCapture();
    return { capture, logger: new AppLogger(createLogRoot({ levels, json: true }, capture)) };
  };

  it('writes one JSON line per entry, with the level, the time and the context', () => {
    const { capture, logger } = loggerAt(['fatal', 'error', 'warn', 'log']);
    logger.log('started', 'Bootstrap');
    logger.warn('careful');
    logger.error('failed', 'Error: failed\n    at somewhere', 'Worker');

    expect(capture.records()).toEqual([
      { level: 'info', time: expect.any(String), context: 'Bootstrap', msg: 'started' },
      { level: 'warn', time: expect.any(String), msg: 'careful' },
      {
        level: 'error',
        time: expect.any(String),
        context: 'Worker',
        stack: 'Error: failed\n    at somewhere',
        msg: 'failed',
      },
    ]);
  });

  it('leaves out the levels LOG_LEVEL leaves out', () => {
    const { capture, logger } = loggerAt(['fatal', 'error', 'warn']);
    logger.log('chatty');
    logger.debug('chattier');
    logger.verbose('chattiest');
    logger.warn('kept');

    expect(capture.records().map((record) => record.msg)).toEqual(['kept']);
  });

  it('redacts credentials in logged objects, wherever they sit', () => {
    const { capture, logger } = loggerAt(['fatal', 'error', 'warn', 'log']);
    logger.log({
      password: 'hunter2-password',
      user: { token: 'eyJhbGciOi.secret.token', name: 'ada' },
      request: { headers: { authorization: 'Bearer eyJhbGciOi.secret.token' } },
      access_token: 'eyJhbGciOi.secret.token',
    });

    expect(capture.all).not.toMatch(/hunter2|secret\.token/);
    expect(capture.records()[0]).toMatchObject({
      data: {
        password: '[redacted]',
        user: { token: '[redacted]', name: 'ada' },
        access_token: '[redacted]',
      },
    });
  });

  it('writes readable text lines with LOG_FORMAT=text', () => {
    const capture = new LogCapture();
    const logger = new AppLogger(createLogRoot({ levels: ['error', 'log'], json: false }, capture));
    logger.log('Listening on http://localhost:8080', 'Bootstrap');

    expect(capture.all).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: \[Bootstrap\] Listening on http:\/\/localhost:8080\n$/,
    );
  });
});

import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { RunningCommands } from '../commands/running-commands';
import { RawWebSocketServer } from '../raw-ws/raw-websocket.server';

const DRAIN_TIMEOUT_MS = 10_000;

/**
 * On SIGTERM, before the HTTP server and the store close: refuse new real-time commands, let the
 * running ones finish (their messages are stored and acked), then close raw connections. Nest
 * closes the Socket.IO server afterwards.
 */
@Injectable()
export class RealtimeShutdown implements BeforeApplicationShutdown {
  constructor(
    private readonly running: RunningCommands,
    private readonly raw: RawWebSocketServer,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.running.drain(DRAIN_TIMEOUT_MS);
    this.raw.closeAll();
  }
}

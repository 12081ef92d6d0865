import { Module } from '@nestjs/common';
import { Metrics } from './metrics';

/** The Prometheus registry of the process; modules that count import it. */
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}

import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/env';
import { DatabaseModule } from './db/database.module';
import { HealthModule } from './health/health.module';
import { ProgramsModule } from './programs/programs.module';
import { ProofsModule } from './proofs/proofs.module';
import { VerifyModule } from './verify/verify.module';

@Module({})
export class AppModule {
  /** `logStream` receives the JSON log lines instead of stdout (tests inspect them). */
  static forRoot(config: AppConfig, logStream?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: config.logLevel,
              // Request bodies can hold private inputs: pino-http never logs bodies,
              // and credentials are redacted from the logged headers.
              redact: [
                'req.headers.authorization',
                'req.headers["x-api-key"]',
                'req.headers.cookie',
              ],
              autoLogging: { ignore: (req) => req.url === '/health' },
              customProps: () => ({ service: 'zkvm' }),
            },
            logStream ?? pino.destination(1),
          ],
        }),
        DatabaseModule,
        HealthModule,
        ProgramsModule,
        ProofsModule,
        VerifyModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import { LoggerModule } from 'nestjs-pino';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/env';
import { DatabaseModule } from './db/database.module';
import { HealthModule } from './health/health.module';
import { ProgramsModule } from './programs/programs.module';
import { ProofsModule } from './proofs/proofs.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Request bodies can hold private inputs: never log them, and never log credentials.
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
            autoLogging: { ignore: (req) => req.url === '/health' },
            customProps: () => ({ service: 'zkvm' }),
          },
        }),
        DatabaseModule,
        HealthModule,
        ProgramsModule,
        ProofsModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}

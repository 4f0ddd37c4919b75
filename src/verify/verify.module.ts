import { Module } from '@nestjs/common';
import { VerifyController } from './verify.controller';
import { VerifyService } from './verify.service';

/** Stateless verification: this module must not depend on the database. */
@Module({ controllers: [VerifyController], providers: [VerifyService] })
export class VerifyModule {}

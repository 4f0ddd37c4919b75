import { Module } from '@nestjs/common';
import { JobWorkerService } from './job-worker.service';
import { ProofsController } from './proofs.controller';
import { ProofsService } from './proofs.service';

@Module({ controllers: [ProofsController], providers: [ProofsService, JobWorkerService] })
export class ProofsModule {}

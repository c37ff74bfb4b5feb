import './tracing';
import 'reflect-metadata';
import { runBff } from '@gateway/kernel';
import { AppModule } from './app/app.module';
import { PARTNER_BFF_DEFAULTS } from './app/partner-bff.config';

void runBff(AppModule, { defaults: PARTNER_BFF_DEFAULTS });

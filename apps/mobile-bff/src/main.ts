import './tracing';
import 'reflect-metadata';
import { runBff } from '@gateway/kernel';
import { AppModule } from './app/app.module';
import { MOBILE_BFF_DEFAULTS } from './app/mobile-bff.config';

void runBff(AppModule, { defaults: MOBILE_BFF_DEFAULTS });

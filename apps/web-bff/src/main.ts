import './tracing';
import 'reflect-metadata';
import { runBff } from '@gateway/kernel';
import { AppModule } from './app/app.module';
import { WEB_BFF_DEFAULTS } from './app/web-bff.config';

void runBff(AppModule, { defaults: WEB_BFF_DEFAULTS });

import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { FileKeyStore } from './file-key-store.js';
import { KeyStore } from './key-store.js';
import { SecretsManagerKeyStore } from './secrets-manager-key-store.js';
import { SigningKeysService } from './signing-keys.service.js';

@Module({
  providers: [
    FileKeyStore,
    SecretsManagerKeyStore,
    {
      provide: KeyStore,
      inject: [AppConfig, FileKeyStore, SecretsManagerKeyStore],
      useFactory: (config: AppConfig, file: FileKeyStore, secretsManager: SecretsManagerKeyStore) =>
        config.store === 'aws' ? secretsManager : file,
    },
    SigningKeysService,
  ],
  exports: [KeyStore, SigningKeysService],
})
export class KeysModule {}

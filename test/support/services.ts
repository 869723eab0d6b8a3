export { freePort, startEmbeddedMongo, startRedisServer, type RunningService } from '../../scripts/local-services';

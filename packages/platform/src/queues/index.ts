export { BullConnections, type BullClientOptions, type BullConnectionsInit } from './bull-connections';

// A channel event as every query returns it: ChannelEventRecord
// (src/modules/events/channel-event.type.ts), inside the map projection of the event: `e {@channel-event}`.
.id, .type, .at, .subjectId, .summary, .seq

// tfjs-core's Node entry registers neither gradients nor chained ops (x.sum()); @tensorflow/tfjs
// does. Registering both here makes Lanes train with either (registration is idempotent).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

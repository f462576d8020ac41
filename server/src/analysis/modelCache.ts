// Per-model caches for the services rules ask (a module of its own: services that FileModel itself
// imports use it too).
import type { FileModel } from './fileModel';

/**
 * A service's per-model cache with a WeakMap's `get`/`set`, kept on the model itself (FileModel.memo):
 * a WeakMap keyed by the model keeps an analysed file's tree alive until a full collection.
 */
export class ModelCache<T> {
  get(model: FileModel): T | undefined {
    return model.memoized<T>(this);
  }

  set(model: FileModel, value: T): void {
    model.remember(this, value);
  }
}

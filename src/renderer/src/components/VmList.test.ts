// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api';
import { useNoticesStore } from '../stores/notices';
import { useVmsStore } from '../stores/vms';
import { TEMPLATES } from '../templates';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import VmList from './VmList.vue';

async function mountList(vms = [makeVm('a', 'alpha'), makeVm('b', 'beta', { technique: 'vt' })]) {
  const client = useFakeApi(vms);
  const store = useVmsStore();
  await store.refresh();
  const wrapper = mount(VmList, {
    global: { plugins: [getActivePinia()!] },
    attachTo: document.body,
  });
  const names = () => wrapper.findAll('[data-testid="vm-item"]').map((r) => r.text());
  return { client, store, wrapper, names };
}

enableAutoUnmount(afterEach);

describe('VmList', () => {
  it('shows one row per VM with its name as text and its technique as a badge', async () => {
    const { wrapper, names } = await mountList();
    expect(names()).toEqual(['alpha', 'beta']);
    const rows = wrapper.findAll('[data-testid="vm-item"]');
    expect(rows[1]?.attributes('data-technique')).toBe('vt');
    expect(rows[0]?.classes()).toContain('selected');
    await rows[1]?.find('button').trigger('click');
    expect(useVmsStore().selectedId).toBe('b');
  });

  it('creates a VM from the in-page form; Enter confirms', async () => {
    const { client, wrapper, names } = await mountList();
    await wrapper.get('[data-testid="vm-create"]').trigger('click');
    const input = wrapper.get<HTMLInputElement>('[data-testid="vm-name-input"]');
    expect(input.element.value).toBe('vm-3');
    await input.setValue('boot sector');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(client.paramsOf('vm.create')).toEqual([
      { name: 'boot sector', technique: 'native', source: TEMPLATES[0]!.source },
    ]);
    expect(names()).toEqual(['alpha', 'beta', 'boot sector']);
    expect(wrapper.find('form').exists()).toBe(false);
  });

  it('creates a VM from the chosen template', async () => {
    const { client, wrapper } = await mountList();
    await wrapper.get('[data-testid="vm-create"]').trigger('click');
    const timer = TEMPLATES.find((t) => t.id === 'timer')!;
    await wrapper.get('[data-testid="vm-template"]').setValue('timer');
    expect(wrapper.text()).toContain(timer.summary);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(client.paramsOf('vm.create')[0]).toMatchObject({ source: timer.source });
  });

  it('offers only implemented techniques; the others say "not yet available"', async () => {
    const { wrapper } = await mountList();
    await wrapper.get('[data-testid="vm-create"]').trigger('click');
    const options = wrapper.findAll('[data-testid="vm-technique"] option');
    expect(options.map((o) => o.attributes('value'))).toEqual([
      'native',
      'emulate',
      'trap',
      'bt',
      'vt',
      'pv',
    ]);
    const native = options[0]?.element as HTMLOptionElement;
    expect(native.disabled).toBe(false);
    for (const o of options.slice(1)) {
      expect((o.element as HTMLOptionElement).disabled).toBe(true);
      expect(o.text()).toContain('not yet available');
    }
  });

  it('keeps the form open with a notice when creating fails', async () => {
    const { client, wrapper } = await mountList();
    client.fail('vm.create', new ApiError('conflict', 'Name taken'));
    await wrapper.get('[data-testid="vm-create"]').trigger('click');
    await wrapper.get('[data-testid="vm-name-input"]').setValue('alpha');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('form').exists()).toBe(true);
    expect(useNoticesStore().notices[0]?.message).toBe('Create VM: Name taken');
  });

  it('renames the selected VM inline; Escape cancels', async () => {
    const { client, wrapper, names } = await mountList();
    await wrapper.get('[data-testid="vm-rename"]').trigger('click');
    let input = wrapper.get<HTMLInputElement>('[data-testid="vm-name-input"]');
    expect(input.element.value).toBe('alpha');
    await input.setValue('nope');
    await input.trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[data-testid="vm-name-input"]').exists()).toBe(false);
    expect(client.paramsOf('vm.update')).toEqual([]);

    await wrapper.get('[data-testid="vm-rename"]').trigger('click');
    input = wrapper.get<HTMLInputElement>('[data-testid="vm-name-input"]');
    await input.setValue('omega');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(client.paramsOf('vm.update')).toEqual([{ id: 'a', name: 'omega' }]);
    expect(names()).toEqual(['beta', 'omega']);
  });

  it('clones the selected VM and selects the clone', async () => {
    const { client, store, wrapper, names } = await mountList();
    await wrapper.get('[data-testid="vm-clone"]').trigger('click');
    await flushPromises();
    expect(client.paramsOf('vm.clone')).toEqual([{ id: 'a' }]);
    expect(names()).toEqual(['alpha', 'alpha copy', 'beta']);
    expect(store.selected?.name).toBe('alpha copy');
  });

  it('deletes only after the in-page confirmation', async () => {
    const { client, wrapper, names } = await mountList();
    await wrapper.get('[data-testid="vm-delete"]').trigger('click');
    expect(wrapper.text()).toContain('Delete alpha');
    await wrapper.get('[data-testid="confirm-no"]').trigger('click');
    expect(wrapper.find('[data-testid="confirm-yes"]').exists()).toBe(false);
    expect(client.paramsOf('vm.delete')).toEqual([]);

    await wrapper.get('[data-testid="vm-delete"]').trigger('click');
    await wrapper.get('[data-testid="confirm-yes"]').trigger('click');
    await flushPromises();
    expect(client.paramsOf('vm.delete')).toEqual([{ id: 'a' }]);
    expect(names()).toEqual(['beta']);
  });

  it('shows the progress of an import until it is done', async () => {
    const { client, wrapper } = await mountList();
    const unpack = {
      vmId: null,
      operation: 'vm.import',
      phase: 'unpack',
      done: 4,
      total: 8,
      item: { index: 4, count: 7 },
    } as const;
    client.emit('operation.progress', unpack);
    await flushPromises();
    expect(wrapper.get('[data-testid="progress-label"]').text()).toBe(
      'Importing: unpacking file 4 of 7',
    );
    client.emit('operation.progress', { ...unpack, phase: 'done', done: 8 });
    await flushPromises();
    expect(wrapper.find('[data-testid="operation-progress"]').exists()).toBe(false);
  });

  it('disables the row actions when nothing is selected', async () => {
    const { wrapper } = await mountList([]);
    for (const id of ['vm-rename', 'vm-clone', 'vm-delete']) {
      expect(wrapper.get(`[data-testid="${id}"]`).attributes('disabled')).toBeDefined();
    }
    expect(wrapper.text()).toContain('No virtual machines yet');
  });
});

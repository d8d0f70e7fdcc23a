// The checklists the product ships for solar and battery work (version 1 of each
// template). Admins edit them from there; these stay as they are, so a database seeded
// long ago and a new one agree on what version 1 was.
import type { ChecklistItem, ChecklistTaskType } from './items';

const pfn = (id: string, label: string, help?: string, required = true): ChecklistItem => ({ id, label, type: 'pass_fail_na', required, ...(help ? { help } : {}) });
const num = (id: string, label: string, unit: string | undefined, min: number, max: number, help?: string, required = true): ChecklistItem => ({
  id,
  label,
  type: 'number',
  required,
  ...(unit ? { unit } : {}),
  min,
  max,
  ...(help ? { help } : {}),
});
const text = (id: string, label: string, help?: string, required = true): ChecklistItem => ({ id, label, type: 'text', required, ...(help ? { help } : {}) });
const choice = (id: string, label: string, options: string[], required = true): ChecklistItem => ({ id, label, type: 'choice', required, options });
const photo = (id: string, label: string, help?: string, required = true): ChecklistItem => ({ id, label, type: 'photo', required, ...(help ? { help } : {}) });
const signature = (id: string, label: string, help?: string): ChecklistItem => ({ id, label, type: 'signature', required: true, ...(help ? { help } : {}) });

const IR_HELP = 'Array to earth at 500 V or 1000 V DC; at least 1 MΩ passes (AS/NZS 5033).';
const VOC_HELP = 'Open-circuit voltage at the isolator, with the inverter off.';

export const SHIPPED_TEMPLATES: Record<ChecklistTaskType, { title: string; items: ChecklistItem[] }> = {
  audit_checklist: {
    title: 'Site audit: solar and battery system',
    items: [
      pfn('site_safe', 'Site safe to work on', 'Access, ladders, roof and switchboard free of hazards.'),
      text('inverter_display', 'Inverter display: status or error code', 'As shown, e.g. "E21" or "Normal".'),
      text('inverter_serial', 'Inverter serial number'),
      photo('inverter_photo', 'Photo of the inverter and its rating label'),
      pfn('dc_isolator', 'DC isolator condition', 'No heat marks, water ingress, UV cracking; switches freely.'),
      pfn('ac_isolator', 'AC isolator condition'),
      num('string_voltage_1', 'String 1 voltage', 'V', 0, 1000, VOC_HELP),
      num('string_voltage_2', 'String 2 voltage', 'V', 0, 1000, 'Leave empty when there is one string.', false),
      num('insulation_resistance', 'Insulation resistance', 'MΩ', 0, 2000, IR_HELP),
      pfn('earthing', 'Array frame earthing continuity'),
      pfn('labelling', 'Signage and labelling present and legible'),
      pfn('panels_condition', 'Panels free of cracks, hot spots and heavy soiling'),
      pfn('battery_enclosure', 'Battery enclosure, clearances and ventilation', 'N/A when there is no battery.', false),
      text('findings', 'Findings and recommended action'),
    ],
  },
  pre_start_checklist: {
    title: 'Pre-start: inverter replacement',
    items: [
      pfn('swms_signed', 'SWMS reviewed and signed by everyone on site'),
      pfn('ppe', 'PPE worn: insulated gloves, eye protection, arc-rated clothing'),
      pfn('isolation', 'System isolated (AC then DC), locked and tagged'),
      num('dead_test_voltage', 'Voltage at the inverter terminals after isolation', 'V', 0, 1000, 'Test for dead: expect 0 V.'),
      text('old_inverter_serial', 'Serial of the inverter being replaced'),
      photo('old_inverter_photo', 'Photo of the existing inverter before removal'),
    ],
  },
  testing_commissioning: {
    title: 'Testing and commissioning: replacement inverter',
    items: [
      text('inverter_serial', 'New inverter serial number'),
      photo('inverter_photo', 'Photo of the new inverter and its rating label'),
      num('string_voltage_1', 'String 1 voltage', 'V', 0, 1000, VOC_HELP),
      num('string_voltage_2', 'String 2 voltage', 'V', 0, 1000, 'Leave empty when there is one string.', false),
      num('insulation_resistance', 'Insulation resistance', 'MΩ', 0, 2000, IR_HELP),
      pfn('earthing', 'Earthing and bonding verified'),
      pfn('dc_isolator', 'DC isolator operates and is labelled'),
      pfn('labelling', 'Signage and labelling per AS/NZS 5033 and AS/NZS 4777'),
      choice('inverter_status', 'Inverter status after start-up', ['Generating', 'Waiting for sun', 'Fault']),
      num('ac_output', 'AC output at handover', 'kW', 0, 100, undefined, false),
      signature('customer_signature', 'Customer signature: system handed over', 'The customer signs on the phone.'),
    ],
  },
  inspection_checklist: {
    title: 'Pre-sale site inspection',
    items: [
      choice('roof_type', 'Roof type', ['Tin', 'Tile', 'Klip-Lok', 'Flat', 'Other']),
      pfn('roof_condition', 'Roof structure sound', 'No rust-through, cracked tiles or sagging battens.'),
      num('roof_pitch', 'Roof pitch', '°', 0, 60),
      choice('shading', 'Shading on the planned array', ['None', 'Morning', 'Afternoon', 'All day']),
      photo('roof_photo', 'Photo of the roof area for the array'),
      pfn('switchboard', 'Switchboard has space and is compliant', 'No asbestos backing; RCDs fitted.'),
      photo('switchboard_photo', 'Photo of the switchboard, door open'),
      num('main_switch_rating', 'Main switch rating', 'A', 0, 1000),
      text('meter_number', 'Meter number', undefined, false),
      text('equipment_location', 'Proposed inverter and battery location'),
    ],
  },
  pre_installation_checklist: {
    title: 'Pre-installation',
    items: [
      pfn('swms_signed', 'SWMS reviewed and signed by everyone on site'),
      pfn('ppe', 'PPE worn and fall protection inspected'),
      pfn('edge_protection', 'Edge protection or harness anchors in place'),
      pfn('equipment_matches', 'Delivered panels, inverter and battery match the design'),
      pfn('switchboard_isolated', 'Switchboard isolated for the connection work', 'N/A until the connection starts.', false),
    ],
  },
  roof_works: {
    title: 'Roof works',
    items: [
      pfn('rails_fixed', 'Rails fixed to rafters at the engineered spacing'),
      num('panels_installed', 'Panels installed', 'panels', 0, 200),
      pfn('penetrations_sealed', 'Roof penetrations sealed and flashed'),
      pfn('array_earthing', 'Array frame earthed'),
      pfn('cable_protection', 'DC cables in UV-rated conduit, clipped clear of the roof'),
      photo('array_photo', 'Photo of the finished array'),
    ],
  },
  system_installation: {
    title: 'System installation',
    items: [
      text('inverter_serial', 'Inverter serial number'),
      photo('inverter_photo', 'Photo of the inverter and its rating label'),
      text('battery_serial', 'Battery serial number', 'Leave empty when there is no battery.', false),
      pfn('dc_isolator', 'DC isolator installed, rated and labelled'),
      pfn('ac_isolator', 'AC isolator installed and labelled'),
      pfn('labelling', 'Signage and labelling per AS/NZS 5033 and AS/NZS 4777'),
    ],
  },
  commissioning_sheet: {
    title: 'Commissioning sheet',
    items: [
      num('string_voltage_1', 'String 1 voltage', 'V', 0, 1000, VOC_HELP),
      num('string_voltage_2', 'String 2 voltage', 'V', 0, 1000, 'Leave empty when there is one string.', false),
      pfn('polarity', 'String polarity correct'),
      num('insulation_resistance', 'Insulation resistance', 'MΩ', 0, 2000, IR_HELP),
      num('earth_continuity', 'Earth continuity resistance', 'Ω', 0, 10, 'Expect under 0.5 Ω.'),
      num('export_limit', 'Export limit set', 'kW', 0, 30),
      pfn('grid_protection', 'Grid protection settings for the region (AS/NZS 4777.2)'),
      choice('inverter_status', 'Inverter status after start-up', ['Generating', 'Waiting for sun', 'Fault']),
      pfn('customer_walkthrough', 'Customer shown how to isolate and read the system'),
      signature('customer_signature', 'Customer signature: system handed over', 'The customer signs on the phone.'),
    ],
  },
};

/** Test fixture: one outpatient visit (made-up people and codes shaped like the real ones). */
import type { ClaimInput } from './model';

export function insuredVisit(): ClaimInput {
  return {
    visit: {
      maLk: 'MK2026120600001',
      facilityCode: '92001',
      careType: '01',
      visitCategory: '1.1',
      arrivedAt: '2026-12-06T08:05:00+07:00',
      endedAt: '2026-12-06T10:40:00+07:00',
      reason: 'Sốt, ho 3 ngày',
      diagnosisOnArrival: 'Viêm đường hô hấp trên',
      diagnoses: {
        primary: { code: 'J06.9', name: 'Nhiễm trùng đường hô hấp trên cấp' },
        secondary: [{ code: 'R50.9', name: 'Sốt' }],
      },
      result: 2,
      dischargeType: 1,
      departmentCodes: ['K01'],
      medicalRecordNumber: 'HS-2026-0001',
      headOfFacilityId: '000123/CT-CCHN',
    },
    patient: {
      patientNumber: 'BN000042',
      fullName: 'Nguyễn Thị Hoà <&> Test',
      birth: { date: '1990-03-15' },
      sex: 'female',
      nationalId: '092190000123',
      nationality: '000',
      ethnicity: '01',
      occupation: '00000',
      address: { text: 'Ấp 1, xã Mỹ Khánh, TP Cần Thơ', provinceCode: '92', communeCode: '31153' },
    },
    coverage: {
      kind: 'card',
      cards: [{ number: 'GD4929212345678', registeredFacility: '92001', validFrom: '2026-01-01', validTo: '2026-12-31' }],
      benefitPercent: 80,
    },
    drugs: [
      {
        code: '40.30', name: 'Paracetamol', unit: 'viên', strength: '500mg', routeCode: '1.01', costGroup: 4, scope: 1,
        quantity: 10, unitPrice: 315.5, insurerRatePercent: 100, departmentCode: 'K01', clinicianId: '000456/CT-CCHN',
        orderedAt: '2026-12-06T09:00:00+07:00',
      },
    ],
    services: [
      {
        code: '02.1896', name: 'Khám Nội', unit: 'lần', costGroup: 13, scope: 1, quantity: 1, facilityPrice: 38700,
        insurerRatePercent: 100, departmentCode: 'K01', clinicianId: '000456/CT-CCHN', orderedAt: '2026-12-06T08:10:00+07:00',
      },
      {
        code: '22.0120.1370', name: 'Tổng phân tích tế bào máu', unit: 'lần', costGroup: 1, scope: 1, quantity: 1,
        facilityPrice: 46200, insurerRatePercent: 100, departmentCode: 'K01', clinicianId: '000456/CT-CCHN',
        orderedAt: '2026-12-06T08:30:00+07:00', resultAt: '2026-12-06T09:20:00+07:00',
      },
    ],
    results: [
      { serviceCode: '22.0120.1370', itemCode: 'WBC', itemName: 'Số lượng bạch cầu', value: '11.2', unit: 'G/L', resultAt: '2026-12-06T09:20:00+07:00' },
    ],
    summary: { courseOfIllness: 'Sốt 38.5 độ, ho khan', treatment: 'Hạ sốt, theo dõi', signedOn: '2026-12-06' },
    appointment: { letterNumber: 'HK-0001', date: '2026-12-13', clinicianId: '000456/CT-CCHN', signedOn: '2026-12-06' },
  };
}

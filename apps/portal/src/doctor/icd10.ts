/**
 * A curated list of ICD-10 (WHO, 2010; Vietnamese names after the Ministry of Health's
 * translation) codes common in primary care, cardiology, paediatrics and infectious disease in
 * Vietnam, for the diagnosis picker of a visit. Not the whole classification: any valid code may
 * still be typed by hand.
 */
export interface Icd10Code {
  code: string;
  vi: string;
  en: string;
}

type Row = readonly [code: string, vi: string, en: string];

const ROWS: readonly Row[] = [
  // Infectious and parasitic diseases
  ['A00', 'Bệnh tả', 'Cholera'],
  ['A01.0', 'Thương hàn', 'Typhoid fever'],
  ['A03', 'Lỵ trực khuẩn (Shigella)', 'Shigellosis'],
  ['A05.9', 'Ngộ độc thực phẩm do vi khuẩn, không xác định', 'Bacterial foodborne intoxication, unspecified'],
  ['A06.0', 'Lỵ amip cấp', 'Acute amoebic dysentery'],
  ['A08.0', 'Viêm ruột do Rotavirus', 'Rotaviral enteritis'],
  [
    'A09',
    'Tiêu chảy và viêm dạ dày - ruột có nguồn gốc nhiễm trùng',
    'Gastroenteritis and colitis of infectious origin',
  ],
  [
    'A15',
    'Lao hô hấp, có xác nhận vi khuẩn học và mô học',
    'Respiratory tuberculosis, bacteriologically and histologically confirmed',
  ],
  [
    'A16',
    'Lao hô hấp, không xác nhận vi khuẩn học hoặc mô học',
    'Respiratory tuberculosis, not confirmed bacteriologically or histologically',
  ],
  ['A24.4', 'Bệnh Whitmore (melioidosis)', 'Melioidosis, unspecified'],
  ['A27', 'Bệnh do Leptospira', 'Leptospirosis'],
  ['A33', 'Uốn ván sơ sinh', 'Tetanus neonatorum'],
  ['A35', 'Uốn ván khác', 'Other tetanus'],
  ['A36', 'Bạch hầu', 'Diphtheria'],
  ['A37', 'Ho gà', 'Whooping cough'],
  ['A38', 'Sốt tinh hồng nhiệt', 'Scarlet fever'],
  ['A39.0', 'Viêm màng não do não mô cầu', 'Meningococcal meningitis'],
  ['A41.9', 'Nhiễm khuẩn huyết, không xác định', 'Sepsis, unspecified'],
  ['A46', 'Viêm quầng', 'Erysipelas'],
  ['A75.3', 'Sốt mò (do Orientia tsutsugamushi)', 'Scrub typhus (Rickettsia tsutsugamushi)'],
  ['A82', 'Bệnh dại', 'Rabies'],
  ['A83.0', 'Viêm não Nhật Bản', 'Japanese encephalitis'],
  ['A87.9', 'Viêm màng não do virus, không xác định', 'Viral meningitis, unspecified'],
  ['A90', 'Sốt Dengue', 'Dengue fever [classical dengue]'],
  ['A91', 'Sốt xuất huyết Dengue', 'Dengue haemorrhagic fever'],
  ['A92.0', 'Bệnh do virus Chikungunya', 'Chikungunya virus disease'],
  ['B01', 'Thủy đậu', 'Varicella [chickenpox]'],
  ['B02', 'Zona', 'Zoster [herpes zoster]'],
  ['B05', 'Sởi', 'Measles'],
  ['B06', 'Rubella', 'Rubella [German measles]'],
  [
    'B08.4',
    'Bệnh tay chân miệng (viêm miệng mụn nước do virus đường ruột có phát ban)',
    'Hand, foot and mouth disease (enteroviral vesicular stomatitis with exanthem)',
  ],
  ['B15', 'Viêm gan A cấp', 'Acute hepatitis A'],
  ['B16', 'Viêm gan B cấp', 'Acute hepatitis B'],
  ['B18.1', 'Viêm gan virus B mạn', 'Chronic viral hepatitis B without delta-agent'],
  ['B18.2', 'Viêm gan virus C mạn', 'Chronic viral hepatitis C'],
  [
    'B20',
    'Bệnh do HIV dẫn đến bệnh nhiễm trùng và ký sinh trùng',
    'HIV disease resulting in infectious and parasitic diseases',
  ],
  ['B24', 'Bệnh do HIV, không xác định', 'Unspecified human immunodeficiency virus [HIV] disease'],
  ['B26', 'Quai bị', 'Mumps'],
  ['B34.9', 'Nhiễm virus, không xác định', 'Viral infection, unspecified'],
  ['B35.4', 'Nấm da thân', 'Tinea corporis'],
  ['B37.0', 'Nấm miệng (tưa miệng)', 'Candidal stomatitis [oral thrush]'],
  ['B50', 'Sốt rét do Plasmodium falciparum', 'Plasmodium falciparum malaria'],
  ['B51', 'Sốt rét do Plasmodium vivax', 'Plasmodium vivax malaria'],
  ['B54', 'Sốt rét, không xác định', 'Unspecified malaria'],
  ['B77', 'Bệnh giun đũa', 'Ascariasis'],
  ['B86', 'Bệnh ghẻ', 'Scabies'],
  ['G00.9', 'Viêm màng não do vi khuẩn, không xác định', 'Bacterial meningitis, unspecified'],
  ['U07.1', 'COVID-19, đã xác định virus', 'COVID-19, virus identified'],
  // Neoplasms common in Vietnam
  ['C11.9', 'Ung thư vòm họng', 'Malignant neoplasm of nasopharynx, unspecified'],
  ['C16.9', 'Ung thư dạ dày', 'Malignant neoplasm of stomach, unspecified'],
  ['C18.9', 'Ung thư đại tràng', 'Malignant neoplasm of colon, unspecified'],
  ['C22.0', 'Ung thư biểu mô tế bào gan', 'Liver cell carcinoma'],
  ['C34.9', 'Ung thư phế quản - phổi', 'Malignant neoplasm of bronchus or lung, unspecified'],
  ['C50.9', 'Ung thư vú', 'Malignant neoplasm of breast, unspecified'],
  ['C53.9', 'Ung thư cổ tử cung', 'Malignant neoplasm of cervix uteri, unspecified'],
  // Blood, endocrine, nutrition
  ['D50.9', 'Thiếu máu do thiếu sắt, không xác định', 'Iron deficiency anaemia, unspecified'],
  ['D56.9', 'Bệnh thalassemia, không xác định', 'Thalassaemia, unspecified'],
  ['D64.9', 'Thiếu máu, không xác định', 'Anaemia, unspecified'],
  ['D69.6', 'Giảm tiểu cầu, không xác định', 'Thrombocytopenia, unspecified'],
  ['E03.9', 'Suy giáp, không xác định', 'Hypothyroidism, unspecified'],
  ['E04.9', 'Bướu giáp không độc, không xác định', 'Nontoxic goitre, unspecified'],
  ['E05.9', 'Cường giáp (nhiễm độc giáp), không xác định', 'Thyrotoxicosis, unspecified'],
  ['E10', 'Bệnh đái tháo đường phụ thuộc insuline', 'Type 1 diabetes mellitus'],
  ['E11', 'Bệnh đái tháo đường không phụ thuộc insuline', 'Type 2 diabetes mellitus'],
  [
    'E11.9',
    'Bệnh đái tháo đường không phụ thuộc insuline, không có biến chứng',
    'Type 2 diabetes mellitus without complications',
  ],
  ['E43', 'Suy dinh dưỡng protein - năng lượng nặng', 'Unspecified severe protein-energy malnutrition'],
  ['E44.0', 'Suy dinh dưỡng protein - năng lượng mức độ vừa', 'Moderate protein-energy malnutrition'],
  ['E55.0', 'Còi xương tiến triển', 'Rickets, active'],
  ['E66.9', 'Béo phì, không xác định', 'Obesity, unspecified'],
  ['E78.0', 'Tăng cholesterol máu đơn thuần', 'Pure hypercholesterolaemia'],
  ['E78.5', 'Tăng lipid máu, không xác định', 'Hyperlipidaemia, unspecified'],
  ['E86', 'Mất nước', 'Volume depletion (dehydration)'],
  ['E87.6', 'Hạ kali máu', 'Hypokalaemia'],
  // Mental and behavioural
  ['F10.2', 'Nghiện rượu (hội chứng phụ thuộc rượu)', 'Alcohol dependence syndrome'],
  ['F32.9', 'Giai đoạn trầm cảm, không xác định', 'Depressive episode, unspecified'],
  ['F41.1', 'Rối loạn lo âu lan tỏa', 'Generalized anxiety disorder'],
  ['F51.0', 'Mất ngủ không thực tổn', 'Nonorganic insomnia'],
  ['F84.0', 'Tự kỷ ở trẻ em', 'Childhood autism'],
  [
    'F90.0',
    'Rối loạn hoạt động và chú ý (tăng động giảm chú ý)',
    'Disturbance of activity and attention (ADHD)',
  ],
  // Nervous system
  ['G40.9', 'Động kinh, không xác định', 'Epilepsy, unspecified'],
  ['G43.9', 'Đau nửa đầu (migraine), không xác định', 'Migraine, unspecified'],
  ['G44.2', 'Đau đầu do căng thẳng', 'Tension-type headache'],
  ['G45.9', 'Cơn thiếu máu não cục bộ thoáng qua', 'Transient cerebral ischaemic attack, unspecified'],
  ['G51.0', 'Liệt mặt ngoại biên (liệt Bell)', "Bell's palsy"],
  // Eye and ear
  ['H10.3', 'Viêm kết mạc cấp', 'Acute conjunctivitis, unspecified'],
  ['H10.9', 'Viêm kết mạc, không xác định', 'Conjunctivitis, unspecified'],
  ['H25.9', 'Đục thủy tinh thể tuổi già', 'Senile cataract, unspecified'],
  ['H40.9', 'Glôcôm, không xác định', 'Glaucoma, unspecified'],
  ['H52.1', 'Cận thị', 'Myopia'],
  ['H60.9', 'Viêm tai ngoài, không xác định', 'Otitis externa, unspecified'],
  ['H65.9', 'Viêm tai giữa không nung mủ', 'Nonsuppurative otitis media, unspecified'],
  ['H66.9', 'Viêm tai giữa, không xác định', 'Otitis media, unspecified'],
  ['H81.1', 'Chóng mặt kịch phát lành tính', 'Benign paroxysmal vertigo'],
  // Circulatory system
  ['I09.9', 'Bệnh tim do thấp, không xác định', 'Rheumatic heart disease, unspecified'],
  ['I05.0', 'Hẹp van hai lá', 'Mitral stenosis'],
  ['I10', 'Tăng huyết áp vô căn (nguyên phát)', 'Essential (primary) hypertension'],
  [
    'I11.9',
    'Bệnh tim do tăng huyết áp, không có suy tim',
    'Hypertensive heart disease without (congestive) heart failure',
  ],
  ['I20.0', 'Cơn đau thắt ngực không ổn định', 'Unstable angina'],
  ['I20.9', 'Cơn đau thắt ngực, không xác định', 'Angina pectoris, unspecified'],
  ['I21.9', 'Nhồi máu cơ tim cấp, không xác định', 'Acute myocardial infarction, unspecified'],
  ['I25.1', 'Bệnh tim do xơ vữa động mạch', 'Atherosclerotic heart disease'],
  ['I25.9', 'Bệnh tim thiếu máu cục bộ mạn, không xác định', 'Chronic ischaemic heart disease, unspecified'],
  [
    'I26.9',
    'Thuyên tắc phổi, không có tâm phế cấp',
    'Pulmonary embolism without mention of acute cor pulmonale',
  ],
  ['I27.9', 'Bệnh tim do phổi, không xác định', 'Pulmonary heart disease, unspecified'],
  ['I33.0', 'Viêm nội tâm mạc nhiễm khuẩn cấp và bán cấp', 'Acute and subacute infective endocarditis'],
  ['I34.0', 'Hở van hai lá (không do thấp)', 'Mitral (valve) insufficiency'],
  ['I35.0', 'Hẹp van động mạch chủ (không do thấp)', 'Aortic (valve) stenosis'],
  ['I40.9', 'Viêm cơ tim cấp, không xác định', 'Acute myocarditis, unspecified'],
  ['I42.0', 'Bệnh cơ tim giãn', 'Dilated cardiomyopathy'],
  ['I44.2', 'Blốc nhĩ thất độ III', 'Atrioventricular block, complete'],
  ['I47.1', 'Nhịp nhanh trên thất', 'Supraventricular tachycardia'],
  ['I48', 'Rung nhĩ và cuồng nhĩ', 'Atrial fibrillation and flutter'],
  ['I49.9', 'Loạn nhịp tim, không xác định', 'Cardiac arrhythmia, unspecified'],
  ['I50.0', 'Suy tim sung huyết', 'Congestive heart failure'],
  ['I50.9', 'Suy tim, không xác định', 'Heart failure, unspecified'],
  ['I61.9', 'Xuất huyết não, không xác định', 'Intracerebral haemorrhage, unspecified'],
  ['I63.9', 'Nhồi máu não, không xác định', 'Cerebral infarction, unspecified'],
  [
    'I64',
    'Đột quỵ, không xác định do xuất huyết hay nhồi máu',
    'Stroke, not specified as haemorrhage or infarction',
  ],
  ['I69.4', 'Di chứng đột quỵ', 'Sequelae of stroke, not specified as haemorrhage or infarction'],
  ['I70.2', 'Xơ vữa động mạch chi', 'Atherosclerosis of arteries of extremities'],
  [
    'I80.2',
    'Viêm tắc tĩnh mạch sâu chi dưới',
    'Phlebitis and thrombophlebitis of other deep vessels of lower extremities',
  ],
  ['I83.9', 'Giãn tĩnh mạch chi dưới', 'Varicose veins of lower extremities without ulcer or inflammation'],
  ['I95.1', 'Hạ huyết áp tư thế', 'Orthostatic hypotension'],
  // Respiratory system
  ['J00', 'Viêm mũi họng cấp (cảm thường)', 'Acute nasopharyngitis [common cold]'],
  ['J01.9', 'Viêm xoang cấp, không xác định', 'Acute sinusitis, unspecified'],
  ['J02.9', 'Viêm họng cấp, không xác định', 'Acute pharyngitis, unspecified'],
  ['J03.9', 'Viêm amidan cấp, không xác định', 'Acute tonsillitis, unspecified'],
  ['J04.0', 'Viêm thanh quản cấp', 'Acute laryngitis'],
  ['J05.0', 'Viêm thanh quản tắc nghẽn cấp (croup)', 'Acute obstructive laryngitis [croup]'],
  [
    'J06.9',
    'Nhiễm trùng đường hô hấp trên cấp, không xác định',
    'Acute upper respiratory infection, unspecified',
  ],
  ['J11', 'Cúm, virus không được định danh', 'Influenza, virus not identified'],
  ['J12.9', 'Viêm phổi do virus, không xác định', 'Viral pneumonia, unspecified'],
  ['J15.9', 'Viêm phổi do vi khuẩn, không xác định', 'Bacterial pneumonia, unspecified'],
  ['J18.9', 'Viêm phổi, không xác định', 'Pneumonia, unspecified'],
  ['J20.9', 'Viêm phế quản cấp, không xác định', 'Acute bronchitis, unspecified'],
  ['J21.9', 'Viêm tiểu phế quản cấp, không xác định', 'Acute bronchiolitis, unspecified'],
  ['J30.4', 'Viêm mũi dị ứng, không xác định', 'Allergic rhinitis, unspecified'],
  ['J32.9', 'Viêm xoang mạn, không xác định', 'Chronic sinusitis, unspecified'],
  ['J35.0', 'Viêm amidan mạn', 'Chronic tonsillitis'],
  [
    'J44.1',
    'Bệnh phổi tắc nghẽn mạn tính có đợt cấp',
    'Chronic obstructive pulmonary disease with acute exacerbation',
  ],
  [
    'J44.9',
    'Bệnh phổi tắc nghẽn mạn tính, không xác định',
    'Chronic obstructive pulmonary disease, unspecified',
  ],
  ['J45.9', 'Hen phế quản, không xác định', 'Asthma, unspecified'],
  ['J46', 'Cơn hen ác tính', 'Status asthmaticus'],
  ['J47', 'Giãn phế quản', 'Bronchiectasis'],
  ['J90', 'Tràn dịch màng phổi', 'Pleural effusion, not elsewhere classified'],
  ['J93.9', 'Tràn khí màng phổi, không xác định', 'Pneumothorax, unspecified'],
  // Digestive system
  ['K02.9', 'Sâu răng, không xác định', 'Dental caries, unspecified'],
  ['K12.0', 'Loét miệng áp-tơ tái phát', 'Recurrent oral aphthae'],
  [
    'K21.9',
    'Trào ngược dạ dày - thực quản không viêm thực quản',
    'Gastro-oesophageal reflux disease without oesophagitis',
  ],
  ['K25.9', 'Loét dạ dày', 'Gastric ulcer, unspecified'],
  ['K26.9', 'Loét tá tràng', 'Duodenal ulcer, unspecified'],
  ['K29.7', 'Viêm dạ dày, không xác định', 'Gastritis, unspecified'],
  ['K30', 'Khó tiêu chức năng', 'Functional dyspepsia'],
  ['K35.8', 'Viêm ruột thừa cấp', 'Acute appendicitis, other and unspecified'],
  [
    'K40.9',
    'Thoát vị bẹn một bên, không tắc, không hoại tử',
    'Unilateral inguinal hernia, without obstruction or gangrene',
  ],
  [
    'K52.9',
    'Viêm dạ dày - ruột và đại tràng không nhiễm trùng',
    'Noninfective gastroenteritis and colitis, unspecified',
  ],
  ['K58.9', 'Hội chứng ruột kích thích', 'Irritable bowel syndrome without diarrhoea'],
  ['K59.0', 'Táo bón', 'Constipation'],
  ['K64.9', 'Trĩ, không xác định', 'Haemorrhoids, unspecified'],
  ['K70.3', 'Xơ gan do rượu', 'Alcoholic cirrhosis of liver'],
  ['K74.6', 'Xơ gan khác và không xác định', 'Other and unspecified cirrhosis of liver'],
  ['K76.0', 'Gan nhiễm mỡ', 'Fatty (change of) liver, not elsewhere classified'],
  ['K80.2', 'Sỏi túi mật không viêm túi mật', 'Calculus of gallbladder without cholecystitis'],
  ['K81.0', 'Viêm túi mật cấp', 'Acute cholecystitis'],
  ['K85.9', 'Viêm tụy cấp, không xác định', 'Acute pancreatitis, unspecified'],
  ['K92.2', 'Xuất huyết tiêu hóa, không xác định', 'Gastrointestinal haemorrhage, unspecified'],
  // Skin
  ['L01.0', 'Chốc lở', 'Impetigo'],
  ['L02.9', 'Áp xe da, nhọt và nhọt cụm', 'Cutaneous abscess, furuncle and carbuncle, unspecified'],
  ['L03.9', 'Viêm mô tế bào, không xác định', 'Cellulitis, unspecified'],
  ['L20.9', 'Viêm da cơ địa, không xác định', 'Atopic dermatitis, unspecified'],
  ['L23.9', 'Viêm da tiếp xúc dị ứng', 'Allergic contact dermatitis, unspecified cause'],
  ['L40.9', 'Vảy nến, không xác định', 'Psoriasis, unspecified'],
  ['L50.9', 'Mày đay, không xác định', 'Urticaria, unspecified'],
  ['L70.0', 'Trứng cá thông thường', 'Acne vulgaris'],
  // Musculoskeletal
  ['M06.9', 'Viêm khớp dạng thấp, không xác định', 'Rheumatoid arthritis, unspecified'],
  ['M10.9', 'Bệnh gút, không xác định', 'Gout, unspecified'],
  ['M15.9', 'Thoái hóa đa khớp', 'Polyarthrosis, unspecified'],
  ['M17.9', 'Thoái hóa khớp gối, không xác định', 'Gonarthrosis, unspecified'],
  ['M19.9', 'Thoái hóa khớp, không xác định', 'Arthrosis, unspecified'],
  ['M30.3', 'Bệnh Kawasaki (hội chứng hạch - da - niêm mạc)', 'Mucocutaneous lymph node syndrome [Kawasaki]'],
  ['M47.8', 'Thoái hóa cột sống', 'Other spondylosis'],
  ['M54.2', 'Đau vùng cổ gáy', 'Cervicalgia'],
  ['M54.5', 'Đau thắt lưng', 'Low back pain'],
  ['M79.1', 'Đau cơ', 'Myalgia'],
  ['M81.9', 'Loãng xương, không xác định', 'Osteoporosis, unspecified'],
  // Genitourinary
  ['N00.9', 'Hội chứng viêm cầu thận cấp', 'Acute nephritic syndrome'],
  ['N04.9', 'Hội chứng thận hư', 'Nephrotic syndrome'],
  ['N10', 'Viêm thận - bể thận cấp', 'Acute tubulo-interstitial nephritis (acute pyelonephritis)'],
  ['N18.9', 'Bệnh thận mạn, không xác định', 'Chronic kidney disease, unspecified'],
  ['N20.0', 'Sỏi thận', 'Calculus of kidney'],
  ['N30.0', 'Viêm bàng quang cấp', 'Acute cystitis'],
  [
    'N39.0',
    'Nhiễm trùng đường tiết niệu, vị trí không xác định',
    'Urinary tract infection, site not specified',
  ],
  ['N40', 'Tăng sản tuyến tiền liệt', 'Hyperplasia of prostate'],
  ['N76.0', 'Viêm âm đạo cấp', 'Acute vaginitis'],
  // Pregnancy
  ['O13', 'Tăng huyết áp thai kỳ', 'Gestational [pregnancy-induced] hypertension'],
  ['O14.9', 'Tiền sản giật, không xác định', 'Pre-eclampsia, unspecified'],
  ['O21.0', 'Nôn nghén nhẹ', 'Mild hyperemesis gravidarum'],
  ['O24.4', 'Đái tháo đường thai kỳ', 'Diabetes mellitus arising in pregnancy'],
  // Perinatal and congenital
  ['P07.3', 'Trẻ đẻ non khác', 'Other preterm infants'],
  ['P36.9', 'Nhiễm khuẩn huyết sơ sinh, không xác định', 'Bacterial sepsis of newborn, unspecified'],
  ['P59.9', 'Vàng da sơ sinh, không xác định', 'Neonatal jaundice, unspecified'],
  ['Q21.0', 'Thông liên thất', 'Ventricular septal defect'],
  ['Q21.1', 'Thông liên nhĩ', 'Atrial septal defect'],
  ['Q21.3', 'Tứ chứng Fallot', 'Tetralogy of Fallot'],
  ['Q25.0', 'Còn ống động mạch', 'Patent ductus arteriosus'],
  // Symptoms and signs
  ['R00.2', 'Hồi hộp, đánh trống ngực', 'Palpitations'],
  ['R05', 'Ho', 'Cough'],
  ['R06.0', 'Khó thở', 'Dyspnoea'],
  ['R07.4', 'Đau ngực, không xác định', 'Chest pain, unspecified'],
  ['R10.4', 'Đau bụng khác và không xác định', 'Other and unspecified abdominal pain'],
  ['R11', 'Buồn nôn và nôn', 'Nausea and vomiting'],
  ['R42', 'Chóng mặt', 'Dizziness and giddiness'],
  ['R50.9', 'Sốt, không xác định', 'Fever, unspecified'],
  ['R51', 'Đau đầu', 'Headache'],
  ['R56.0', 'Co giật do sốt', 'Febrile convulsions'],
  ['R62.8', 'Chậm phát triển thể chất ở trẻ em', 'Other lack of expected normal physiological development'],
  // Injury and poisoning
  ['S06.0', 'Chấn động não', 'Concussion'],
  ['S52.5', 'Gãy đầu dưới xương quay', 'Fracture of lower end of radius'],
  ['S93.4', 'Bong gân cổ chân', 'Sprain and strain of ankle'],
  ['T14.1', 'Vết thương hở, vùng cơ thể không xác định', 'Open wound of unspecified body region'],
  [
    'T30.0',
    'Bỏng, vùng cơ thể và mức độ không xác định',
    'Burn of unspecified body region, unspecified degree',
  ],
  [
    'T60.0',
    'Ngộ độc thuốc trừ sâu phospho hữu cơ và carbamat',
    'Toxic effect of organophosphate and carbamate insecticides',
  ],
  ['T63.0', 'Nhiễm độc nọc rắn (rắn cắn)', 'Toxic effect of snake venom'],
  ['T75.1', 'Đuối nước không tử vong', 'Drowning and nonfatal submersion'],
  ['T78.2', 'Sốc phản vệ, không xác định', 'Anaphylactic shock, unspecified'],
  ['T78.4', 'Dị ứng, không xác định', 'Allergy, unspecified'],
  ['W54', 'Bị chó cắn hoặc húc', 'Bitten or struck by dog'],
  // Contact with health services
  ['Z00.0', 'Khám sức khỏe tổng quát', 'General medical examination'],
  ['Z00.1', 'Khám sức khỏe định kỳ trẻ em', 'Routine child health examination'],
  ['Z30.0', 'Tư vấn chung về tránh thai', 'General counselling and advice on contraception'],
  ['Z34.9', 'Theo dõi thai bình thường', 'Supervision of normal pregnancy, unspecified'],
];

export const ICD10: readonly Icd10Code[] = ROWS.map(([code, vi, en]) => ({ code, vi, en }));

/** Lower case without diacritics (đ → d): "Tăng huyết áp" and "tang huyet ap" fold alike. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const INDEX = ICD10.map((c) => ({
  c,
  code: c.code.toLowerCase(),
  vi: fold(c.vi),
  en: fold(c.en),
}));

/**
 * Codes matching `query` in any language, accents ignored: every word of the query must appear
 * in the code or a name. Best first: code prefix, then a name starting with the query, then the
 * rest in list order (by code).
 */
export function searchIcd10(query: string, limit = 10): Icd10Code[] {
  const q = fold(query);
  if (!q) return [];
  const words = q.split(' ');
  const rank = (e: (typeof INDEX)[number]): number => {
    if (e.code.startsWith(q)) return 0;
    if (e.vi.startsWith(q) || e.en.startsWith(q)) return 1;
    if (e.vi.includes(q) || e.en.includes(q)) return 2;
    return 3;
  };
  return INDEX.filter((e) => words.every((w) => e.code.includes(w) || e.vi.includes(w) || e.en.includes(w)))
    .map((e, i) => ({ e, r: rank(e), i }))
    .sort((x, y) => x.r - y.r || x.i - y.i)
    .slice(0, limit)
    .map((x) => x.e.c);
}

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name></name>
    <message>
        <location filename="../../ui/settings/photo.py" line="33"/>
        <source>The file cannot be read.</source>
        <translation>Файл не читается.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/photo.py" line="35"/>
        <source>The file is too large for a photo (at most 20 MB).</source>
        <translation>Файл слишком велик для фото (не больше 20 МБ).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/photo.py" line="39"/>
        <location filename="../../ui/settings/photo.py" line="42"/>
        <location filename="../../ui/settings/photo.py" line="55"/>
        <source>This file is not a picture (PNG, JPEG, BMP, GIF…).</source>
        <translation>Этот файл — не изображение (PNG, JPEG, BMP, GIF…).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/photo.py" line="44"/>
        <source>The picture is too large (at most 12 000 pixels a side).</source>
        <translation>Изображение слишком большое (не больше 12 000 точек по стороне).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/photo.py" line="47"/>
        <source>The picture is too small (at least 16 pixels a side).</source>
        <translation>Изображение слишком маленькое (не меньше 16 точек по стороне).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/photo.py" line="77"/>
        <source>The photo came out too large; try a simpler picture.</source>
        <translation>Фото получилось слишком большим; попробуйте более простое изображение.</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../ui/clients/pane.py" line="232"/>
        <source>Find users</source>
        <translation>Найти пользователей</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="233"/>
        <source>Search the line&apos;s users</source>
        <translation>Искать среди пользователей линии</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="242"/>
        <source>Choose the line</source>
        <translation>Выбрать линию</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="243"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="251"/>
        <source>Next user</source>
        <translation>Следующий пользователь</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="252"/>
        <source>Alt+Down</source>
        <translation>Alt+Down</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="259"/>
        <source>Previous user</source>
        <translation>Предыдущий пользователь</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="260"/>
        <source>Alt+Up</source>
        <translation>Alt+Up</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="278"/>
        <source>Next unread chat</source>
        <translation>Следующий непрочитанный чат</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="279"/>
        <source>Alt+Shift+Down</source>
        <translation>Alt+Shift+Down</translation>
    </message>
    <message>
        <location filename="../../ui/side/pane.py" line="66"/>
        <source>Information</source>
        <translation>Информация</translation>
    </message>
    <message>
        <location filename="../../ui/side/pane.py" line="67"/>
        <source>Show or hide the information panel</source>
        <translation>Показать или скрыть панель информации</translation>
    </message>
    <message>
        <location filename="../../ui/side/pane.py" line="68"/>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="93"/>
        <source>Start work</source>
        <translation>Начать работу</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="94"/>
        <source>Take this user&apos;s ticket (or open one) as yours</source>
        <translation>Взять обращение пользователя (или открыть новое) на себя</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="109"/>
        <source>Finish work</source>
        <translation>Завершить работу</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="110"/>
        <source>Finish your ticket with this user</source>
        <translation>Завершить ваше обращение с этим пользователем</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="127"/>
        <source>Transfer</source>
        <translation>Перевести</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="128"/>
        <source>Transfer the ticket to a Free colleague of the line</source>
        <translation>Перевести обращение на свободного коллегу линии</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="169"/>
        <source>Quick replies</source>
        <translation>Быстрые ответы</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="170"/>
        <source>A snippet into the message field (type to filter)</source>
        <translation>Заготовка в поле сообщения (начните печатать для поиска)</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="171"/>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <location filename="../../ui/remote/feature.py" line="96"/>
        <source>Connect</source>
        <translation>Подключиться</translation>
    </message>
    <message>
        <location filename="../../ui/remote/feature.py" line="97"/>
        <source>Connect to this user&apos;s desktop</source>
        <translation>Подключиться к рабочему столу пользователя</translation>
    </message>
    <message>
        <location filename="../../ui/remote/feature.py" line="98"/>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="179"/>
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="180"/>
        <source>Call this user through the headset</source>
        <translation>Позвонить пользователю через гарнитуру</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="181"/>
        <source>Ctrl+Shift+D</source>
        <translation>Ctrl+Shift+D</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="217"/>
        <source>Dialer…</source>
        <translation>Набор номера…</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="218"/>
        <source>Call a number or a SIP address</source>
        <translation>Позвонить на номер или SIP-адрес</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="219"/>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="122"/>
        <source>Online monitor</source>
        <translation>Онлайн-монитор</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="123"/>
        <source>The line&apos;s queue, specialists and today (supervisors)</source>
        <translation>Очередь линии, специалисты и итоги дня (для руководителей)</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="124"/>
        <source>Ctrl+Shift+M</source>
        <translation>Ctrl+Shift+M</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_menu.py" line="69"/>
        <source>Add to my list</source>
        <translation>Добавить в мой список</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_menu.py" line="70"/>
        <source>Keep this user in my list (a streaming line shows them always)</source>
        <translation>Держать пользователя в моём списке (потоковая линия показывает его всегда)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/feature.py" line="81"/>
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <location filename="../../ui/settings/feature.py" line="82"/>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <location filename="../../ui/settings/feature.py" line="102"/>
        <source>My profile…</source>
        <translation>Мой профиль…</translation>
    </message>
    <message>
        <location filename="../../ui/groups/feature.py" line="88"/>
        <source>Group</source>
        <translation>Группа</translation>
    </message>
    <message>
        <location filename="../../ui/groups/feature.py" line="89"/>
        <source>A group chat with this user and others: your colleagues, users of your lines (in a group&apos;s chat: its members)</source>
        <translation>Групповой чат с этим пользователем и другими: коллегами, пользователями ваших линий (в чате группы — её участники)</translation>
    </message>
    <message>
        <location filename="../../ui/favourites/commands.py" line="48"/>
        <source>Favourite</source>
        <translation>В избранном</translation>
    </message>
    <message>
        <location filename="../../ui/favourites/commands.py" line="49"/>
        <source>Watch this user: every event of their chat on the line, colleagues&apos; work too</source>
        <translation>Следить за пользователем: все события его чата на линии, и работа коллег тоже</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/comment.py" line="54"/>
        <source>Comment on the ticket…</source>
        <translation>Комментарий к обращению…</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/comment.py" line="55"/>
        <source>A comment on the user&apos;s ticket for your colleagues (the user does not see it)</source>
        <translation>Комментарий к обращению пользователя для коллег (пользователь его не видит)</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/comment.py" line="59"/>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/feature.py" line="144"/>
        <source>Disconnect from the line…</source>
        <translation>Отключить от линии…</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/feature.py" line="145"/>
        <source>After a warning: disconnect this user from the support line (ban), with the reason</source>
        <translation>После предупреждения: отключить пользователя от линии техподдержки (бан), с причиной</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/feature.py" line="191"/>
        <source>Restore to the line</source>
        <translation>Вернуть на линию</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/feature.py" line="192"/>
        <source>Lift the disconnection: the line takes them again</source>
        <translation>Снять отключение: линия снова принимает пользователя</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="275"/>
        <source>Search in chat</source>
        <translation>Поиск в чате</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="276"/>
        <source>Search this chat&apos;s history</source>
        <translation>Искать в истории этого чата</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="277"/>
        <source>Ctrl+Shift+F</source>
        <translation>Ctrl+Shift+F</translation>
    </message>
</context>
<context>
    <name>AudioPage</name>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="58"/>
        <source>Test</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="60"/>
        <source>Ring once on this device</source>
        <translation>Позвонить один раз на этом устройстве</translation>
    </message>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="68"/>
        <source>Headset microphone</source>
        <translation>Микрофон гарнитуры</translation>
    </message>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="69"/>
        <source>Headset speaker</source>
        <translation>Динамик гарнитуры</translation>
    </message>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="70"/>
        <source>Ringer</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="89"/>
        <source>The system&apos;s default</source>
        <translation>По умолчанию в системе</translation>
    </message>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="94"/>
        <source>%1 (not connected)</source>
        <translation>%1 (не подключено)</translation>
    </message>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="102"/>
        <source>%1 is not connected: the system&apos;s default is used until it is.</source>
        <translation>%1 не подключено: пока используется устройство системы по умолчанию.</translation>
    </message>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="108"/>
        <source>The ringer could not be played: %1</source>
        <translation>Звонок не удалось воспроизвести: %1</translation>
    </message>
</context>
<context>
    <name>Calls</name>
    <message>
        <location filename="../../ui/calls/texts.py" line="17"/>
        <source>Connected to the PBX</source>
        <translation>Подключено к АТС</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="19"/>
        <source>Connecting to the PBX…</source>
        <translation>Подключение к АТС…</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="22"/>
        <source>The PBX did not accept the login or password: check them in Settings → PBX</source>
        <translation>АТС не приняла логин или пароль: проверьте их в «Настройки → АТС»</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="26"/>
        <source>The PBX does not answer: check its address in Settings → PBX</source>
        <translation>АТС не отвечает: проверьте её адрес в «Настройки → АТС»</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="29"/>
        <source>The PBX refused the connection (code %1)</source>
        <translation>АТС отказала в подключении (код %1)</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="35"/>
        <source>Call ended</source>
        <translation>Звонок завершён</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="36"/>
        <source>The other side hung up</source>
        <translation>Собеседник положил трубку</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="37"/>
        <source>Busy</source>
        <translation>Занято</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="38"/>
        <source>Declined</source>
        <translation>Отклонён</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="39"/>
        <source>Call cancelled</source>
        <translation>Звонок отменён</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="40"/>
        <source>Missed call</source>
        <translation>Пропущенный звонок</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="41"/>
        <source>No answer</source>
        <translation>Нет ответа</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="42"/>
        <source>The other side&apos;s phone has no audio format in common with LineDesk</source>
        <translation>Телефон собеседника не поддерживает ни одного аудиоформата LineDesk</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="45"/>
        <source>The PBX or the phone does not answer</source>
        <translation>АТС или телефон не отвечает</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="46"/>
        <source>The connection to the other side was lost</source>
        <translation>Связь с собеседником потеряна</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="47"/>
        <location filename="../../ui/calls/timeline.py" line="50"/>
        <source>The call failed</source>
        <translation>Звонок не удался</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="48"/>
        <source>The call was transferred</source>
        <translation>Звонок переведён</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="57"/>
        <source>Type a number or a SIP address</source>
        <translation>Введите номер или SIP-адрес</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="58"/>
        <source>A phone number has only digits, + at the start, * and #</source>
        <translation>В номере телефона только цифры, + в начале, * и #</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="61"/>
        <source>This SIP address is incomplete: it looks like sip:name@pbx.example.com</source>
        <translation>SIP-адрес неполный: он выглядит так: sip:имя@pbx.example.com</translation>
    </message>
    <message>
        <location filename="../../ui/calls/texts.py" line="64"/>
        <source>This link is not a phone number or a SIP address</source>
        <translation>Эта ссылка — не номер телефона и не SIP-адрес</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="40"/>
        <location filename="../../ui/calls/transfer.py" line="41"/>
        <source>there is no such number</source>
        <translation>такого номера нет</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="42"/>
        <location filename="../../ui/calls/transfer.py" line="43"/>
        <source>the number is busy</source>
        <translation>номер занят</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="44"/>
        <location filename="../../ui/calls/transfer.py" line="45"/>
        <location filename="../../ui/calls/transfer.py" line="46"/>
        <source>nobody answered</source>
        <translation>никто не ответил</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="47"/>
        <source>the call was declined</source>
        <translation>звонок отклонён</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="56"/>
        <source>Transferring to %1: ringing…</source>
        <translation>Перевод на %1: идёт вызов…</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="59"/>
        <source>Transferring to %1…</source>
        <translation>Перевод на %1…</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="61"/>
        <source>Transferred to %1</source>
        <translation>Переведён на %1</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="65"/>
        <source>the PBX said %1</source>
        <translation>АТС ответила кодом %1</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="68"/>
        <source>Not transferred to %1: %2, the caller is still with you</source>
        <translation>Не переведён на %1: %2, собеседник по-прежнему с вами</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="57"/>
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="59"/>
        <source>Outgoing call</source>
        <translation>Исходящий звонок</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="63"/>
        <source>ringing…</source>
        <translation>звонит…</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="65"/>
        <source>talking…</source>
        <translation>идёт разговор…</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="67"/>
        <source>answered</source>
        <translation>состоялся</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="72"/>
        <source>missed</source>
        <translation>пропущен</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="74"/>
        <source>not answered</source>
        <translation>не ответили</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="77"/>
        <source>declined</source>
        <translation>отклонён</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="79"/>
        <source>busy</source>
        <translation>занято</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="82"/>
        <source>failed: %1</source>
        <translation>не удался: %1</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="87"/>
        <source>▶ recording</source>
        <translation>▶ запись</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="164"/>
        <source>Play recording</source>
        <translation>Прослушать запись</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="167"/>
        <source>Save recording as…</source>
        <translation>Сохранить запись как…</translation>
    </message>
    <message>
        <location filename="../../ui/calls/timeline.py" line="198"/>
        <source>Save the call&apos;s recording</source>
        <translation>Сохранить запись звонка</translation>
    </message>
</context>
<context>
    <name>CallsFeature</name>
    <message>
        <location filename="../../ui/calls/feature.py" line="132"/>
        <source>Calls are unavailable: no network</source>
        <translation>Звонки недоступны: нет сети</translation>
    </message>
    <message>
        <location filename="../../ui/calls/callee.py" line="52"/>
        <source>%1 is offline and their card has no phone number: nothing to call</source>
        <translation>%1 не в сети, а в карточке нет номера телефона: позвонить некуда</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="212"/>
        <source>A call is in progress: end it before making another</source>
        <translation>Идёт разговор: завершите его, прежде чем звонить снова</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="282"/>
        <source>No PBX is connected: add one in Settings → PBX connection to make calls</source>
        <translation>АТС не подключена: чтобы звонить, добавьте её в «Настройки → Подключение к АТС»</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="77"/>
        <source>&amp;Calls</source>
        <translation>&amp;Звонки</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="164"/>
        <source>The headset was unplugged: its buttons no longer answer or end calls. Plug it in again and reconnect the PBX in Settings, or use the window&apos;s buttons.</source>
        <translation>Гарнитура отключена: её кнопки больше не отвечают на звонки и не завершают их. Подключите её снова и переподключите АТС в настройках или пользуйтесь кнопками окна.</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="287"/>
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="387"/>
        <source>The headset was unplugged: the call goes on through the computer&apos;s speakers and microphone</source>
        <translation>Гарнитура отключена: разговор продолжается через динамики и микрофон компьютера</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="412"/>
        <source>On hold</source>
        <translation>На удержании</translation>
    </message>
    <message>
        <location filename="../../ui/calls/feature.py" line="405"/>
        <source>Ringing…</source>
        <translation>Вызов…</translation>
    </message>
    <message>
        <location filename="../../ui/calls/comment.py" line="29"/>
        <source>Call ended</source>
        <translation>Звонок завершён</translation>
    </message>
    <message>
        <location filename="../../ui/calls/comment.py" line="30"/>
        <source>A short comment on the call:</source>
        <translation>Короткий комментарий к звонку:</translation>
    </message>
</context>
<context>
    <name>ChatDelegate</name>
    <message>
        <location filename="../../ui/chat/delegate.py" line="104"/>
        <source>sending…</source>
        <translation>отправляется…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/delegate.py" line="106"/>
        <source>Not delivered. Click to retry</source>
        <translation>Не доставлено. Нажмите, чтобы повторить</translation>
    </message>
    <message>
        <location filename="../../ui/chat/delegate.py" line="122"/>
        <location filename="../../ui/chat/delegate.py" line="350"/>
        <source>Unread messages</source>
        <translation>Непрочитанные сообщения</translation>
    </message>
    <message>
        <location filename="../../ui/chat/delegate.py" line="176"/>
        <source>Message deleted</source>
        <translation>Сообщение удалено</translation>
    </message>
    <message>
        <location filename="../../ui/chat/attachments.py" line="90"/>
        <source>The original message was deleted</source>
        <translation>Исходное сообщение удалено</translation>
    </message>
</context>
<context>
    <name>ChatFiles</name>
    <message>
        <location filename="../../ui/chat/files.py" line="46"/>
        <source>B</source>
        <translation>Б</translation>
    </message>
    <message>
        <location filename="../../ui/chat/files.py" line="47"/>
        <source>KB</source>
        <translation>КБ</translation>
    </message>
    <message>
        <location filename="../../ui/chat/files.py" line="48"/>
        <source>MB</source>
        <translation>МБ</translation>
    </message>
    <message>
        <location filename="../../ui/chat/files.py" line="49"/>
        <source>GB</source>
        <translation>ГБ</translation>
    </message>
    <message>
        <location filename="../../ui/chat/files.py" line="115"/>
        <source>Send files</source>
        <translation>Отправить файлы</translation>
    </message>
    <message>
        <location filename="../../ui/chat/files.py" line="136"/>
        <source>The file “%1” is too large: %2. The server takes files up to %3.</source>
        <translation>Файл «%1» слишком большой: %2. Сервер принимает файлы до %3.</translation>
    </message>
    <message>
        <location filename="../../ui/chat/files.py" line="184"/>
        <source>Save the file</source>
        <translation>Сохранить файл</translation>
    </message>
    <message>
        <location filename="../../ui/chat/files.py" line="194"/>
        <source>“%1” could run a program on this computer, so it is not opened from the chat. Save it and check it first.</source>
        <translation>«%1» может запустить программу на этом компьютере, поэтому из чата он не открывается. Сохраните его и сначала проверьте.</translation>
    </message>
</context>
<context>
    <name>ChatFold</name>
    <message>
        <location filename="../../ui/chat/fold.py" line="150"/>
        <source>Collapse</source>
        <translation>Свернуть</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/chat/fold.py" line="152"/>
        <source>Show all (%n lines)</source>
        <translation>
            <numerusform>Показать полностью (%n строка)</numerusform>
            <numerusform>Показать полностью (%n строки)</numerusform>
            <numerusform>Показать полностью (%n строк)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/chat/fold.py" line="153"/>
        <source>Show all</source>
        <translation>Показать полностью</translation>
    </message>
</context>
<context>
    <name>ChatJumps</name>
    <message>
        <location filename="../../ui/chat/jump.py" line="92"/>
        <source>That message is not in this chat any more (deleted or hidden).</source>
        <translation>Этого сообщения больше нет в чате (удалено или скрыто).</translation>
    </message>
    <message>
        <location filename="../../ui/chat/jump.py" line="96"/>
        <source>The quoted message was deleted.</source>
        <translation>Цитируемое сообщение удалено.</translation>
    </message>
</context>
<context>
    <name>ChatModel</name>
    <message>
        <location filename="../../ui/chat/model.py" line="47"/>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <location filename="../../ui/chat/model.py" line="49"/>
        <source>Yesterday</source>
        <translation>Вчера</translation>
    </message>
</context>
<context>
    <name>ChatNotifier</name>
    <message>
        <location filename="../../ui/chat/notify.py" line="64"/>
        <source>New message</source>
        <translation>Новое сообщение</translation>
    </message>
    <message>
        <location filename="../../ui/chat/notify.py" line="70"/>
        <source>A file</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../ui/chat/notify.py" line="72"/>
        <source>Still not opened: %1</source>
        <translation>Всё ещё не открыт: %1</translation>
    </message>
</context>
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../../ui/chat/pane.py" line="79"/>
        <source>Send a file (or drop it here, or paste an image)</source>
        <translation>Отправить файл (или перетащите его сюда, или вставьте картинку)</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="87"/>
        <source>Search this chat&apos;s history (Ctrl+Shift+F)</source>
        <translation>Поиск по истории чата (Ctrl+Shift+F)</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="94"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="117"/>
        <source>Choose a user on the left to open the chat</source>
        <translation>Выберите пользователя слева, чтобы открыть чат</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="167"/>
        <source>Ctrl+Shift+Q</source>
        <translation>Ctrl+Shift+Q</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="241"/>
        <source>Delete the message</source>
        <translation>Удалить сообщение</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="242"/>
        <source>Delete this message for everyone? The user will see that it was deleted.</source>
        <translation>Удалить это сообщение для всех? Пользователь увидит, что оно удалено.</translation>
    </message>
    <message>
        <location filename="../../ui/chat/pane.py" line="334"/>
        <source>The message is too long: %1 characters, at most %2 fit in one. Shorten it or split it in two; the text stays in the input field.</source>
        <translation>Сообщение слишком длинное: %1 символов, а в одно помещается не больше %2. Сократите его или разделите на два — текст остаётся в поле ввода.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../ui/chat/view.py" line="309"/>
        <source>No messages yet</source>
        <translation>Сообщений пока нет</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="337"/>
        <source>Save file as…</source>
        <translation>Сохранить файл как…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="339"/>
        <source>Open file</source>
        <translation>Открыть файл</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="361"/>
        <source>Quote</source>
        <translation>Цитировать</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="362"/>
        <source>Ctrl+Shift+Q</source>
        <translation>Ctrl+Shift+Q</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="364"/>
        <source>Copy text</source>
        <translation>Копировать текст</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="373"/>
        <source>Copy link</source>
        <translation>Копировать ссылку</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="377"/>
        <source>Delete…</source>
        <translation>Удалить…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="380"/>
        <source>Send again</source>
        <translation>Отправить ещё раз</translation>
    </message>
</context>
<context>
    <name>CompaniesModel</name>
    <message numerus="yes">
        <location filename="../../ui/clients/company_picker.py" line="66"/>
        <source>%n users on the line</source>
        <translation>
            <numerusform>%n пользователь на линии</numerusform>
            <numerusform>%n пользователя на линии</numerusform>
            <numerusform>%n пользователей на линии</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CompanyPicker</name>
    <message>
        <location filename="../../ui/clients/company_picker.py" line="100"/>
        <source>Filter by company</source>
        <translation>Фильтр по компании</translation>
    </message>
    <message>
        <location filename="../../ui/clients/company_picker.py" line="103"/>
        <source>Company name or INN</source>
        <translation>Название компании или ИНН</translation>
    </message>
    <message>
        <location filename="../../ui/clients/company_picker.py" line="134"/>
        <source>Loading companies…</source>
        <translation>Загрузка компаний…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/clients/company_picker.py" line="162"/>
        <source>%n companies</source>
        <translation>
            <numerusform>%n компания</numerusform>
            <numerusform>%n компании</numerusform>
            <numerusform>%n компаний</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/clients/company_picker.py" line="162"/>
        <source>No company has that name or INN</source>
        <translation>Нет компании с таким названием или ИНН</translation>
    </message>
</context>
<context>
    <name>CompanySection</name>
    <message>
        <location filename="../../ui/side/company.py" line="32"/>
        <location filename="../../ui/side/company.py" line="47"/>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <location filename="../../ui/side/company.py" line="33"/>
        <source>INN</source>
        <translation>ИНН</translation>
    </message>
    <message>
        <location filename="../../ui/side/company.py" line="35"/>
        <source>Responsible specialists</source>
        <translation>Ответственные специалисты</translation>
    </message>
    <message>
        <location filename="../../ui/side/company.py" line="59"/>
        <source>Open their chat</source>
        <translation>Открыть чат с ним</translation>
    </message>
    <message>
        <location filename="../../ui/side/company.py" line="61"/>
        <source>Not a user of this line: no chat with them here</source>
        <translation>Не пользователь этой линии: чата с ним здесь нет</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/chat/composer.py" line="36"/>
        <source>Write a message… (Enter sends, Shift+Enter: new line)</source>
        <translation>Напишите сообщение… (Enter — отправить, Shift+Enter — новая строка)</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <location filename="../../ui/remote/dialog.py" line="49"/>
        <source>Connect to the user&apos;s desktop</source>
        <translation>Подключение к рабочему столу пользователя</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="54"/>
        <source>Connect to %1&apos;s computer</source>
        <translation>Подключиться к компьютеру: %1</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="57"/>
        <source>By request: the user accepts on their side</source>
        <translation>По запросу: пользователь подтверждает у себя</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="59"/>
        <source>By password set on the user&apos;s computer</source>
        <translation>По паролю, заданному на компьютере пользователя</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="70"/>
        <source>address of the user&apos;s computer</source>
        <translation>адрес компьютера пользователя</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="75"/>
        <source>Reverse: the user&apos;s computer connects to me</source>
        <translation>Обратное подключение: компьютер пользователя подключается ко мне</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="77"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="78"/>
        <source>Computer</source>
        <translation>Компьютер</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="79"/>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="82"/>
        <source>View only</source>
        <translation>Только просмотр</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="88"/>
        <source>The viewer set in Settings takes the password on its command line: other users of this computer can see it while it runs.</source>
        <translation>Программа просмотра из настроек получает пароль в командной строке: другие пользователи этого компьютера могут увидеть его, пока она работает.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/dialog.py" line="101"/>
        <source>Connect</source>
        <translation>Подключиться</translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../ui/mainwindow/parts.py" line="74"/>
        <source>Click to reconnect now</source>
        <translation>Нажмите, чтобы переподключиться сейчас</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/parts.py" line="61"/>
        <source>Connected</source>
        <translation>Подключено</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/parts.py" line="63"/>
        <source>Offline</source>
        <translation>Нет связи</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow/parts.py" line="66"/>
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>Переподключение через %n с</numerusform>
            <numerusform>Переподключение через %n с</numerusform>
            <numerusform>Переподключение через %n с</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/parts.py" line="66"/>
        <source>Reconnecting…</source>
        <translation>Переподключение…</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/parts.py" line="70"/>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
</context>
<context>
    <name>ContactsSection</name>
    <message>
        <location filename="../../ui/side/contacts.py" line="27"/>
        <source>Position</source>
        <translation>Должность</translation>
    </message>
    <message>
        <location filename="../../ui/side/contacts.py" line="28"/>
        <source>Department</source>
        <translation>Подразделение</translation>
    </message>
    <message>
        <location filename="../../ui/side/contacts.py" line="29"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ui/side/contacts.py" line="31"/>
        <source>Put the number into the dialer</source>
        <translation>Набрать этот номер</translation>
    </message>
    <message>
        <location filename="../../ui/side/contacts.py" line="33"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../ui/side/contacts.py" line="34"/>
        <source>Birth date</source>
        <translation>Дата рождения</translation>
    </message>
    <message>
        <location filename="../../ui/side/contacts.py" line="35"/>
        <source>Account ID</source>
        <translation>ID аккаунта</translation>
    </message>
    <message>
        <location filename="../../ui/side/contacts.py" line="38"/>
        <source>Contacts</source>
        <translation>Контакты</translation>
    </message>
</context>
<context>
    <name>Dialer</name>
    <message>
        <location filename="../../ui/calls/dialer.py" line="40"/>
        <source>Dialer</source>
        <translation>Набор номера</translation>
    </message>
    <message>
        <location filename="../../ui/calls/dialer.py" line="43"/>
        <source>Number or SIP address</source>
        <translation>Номер или SIP-адрес</translation>
    </message>
    <message>
        <location filename="../../ui/calls/dialer.py" line="63"/>
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../ui/calls/dialer.py" line="67"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
</context>
<context>
    <name>Disconnect</name>
    <message>
        <location filename="../../ui/disconnect/feature.py" line="50"/>
        <source>Disconnected from the line until %4: %1, %2</source>
        <translation>Отключён от линии до %4: %1, %2</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/feature.py" line="52"/>
        <source>Disconnected from the line: %1, %2</source>
        <translation>Отключён от линии: %1, %2</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/feature.py" line="66"/>
        <source>The user is disconnected from this line</source>
        <translation>Пользователь отключён от этой линии</translation>
    </message>
</context>
<context>
    <name>DisconnectDialog</name>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="29"/>
        <source>Until restored</source>
        <translation>До восстановления</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="30"/>
        <source>For an hour</source>
        <translation>На час</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="31"/>
        <source>For a day</source>
        <translation>На сутки</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="32"/>
        <source>For a week</source>
        <translation>На неделю</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="33"/>
        <source>For 30 days</source>
        <translation>На 30 дней</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="47"/>
        <source>Disconnect from the line</source>
        <translation>Отключение от линии</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="67"/>
        <source>Also from my other lines: %1</source>
        <translation>Также с других моих линий: %1</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="81"/>
        <source>Reason (the user and your colleagues see it):</source>
        <translation>Причина (её увидят пользователь и коллеги):</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="83"/>
        <source>Repeated breach of the business style of communication after a warning</source>
        <translation>Повторное нарушение делового стиля общения после предупреждения</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="64"/>
        <source>For how long:</source>
        <translation>На какой срок:</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="50"/>
        <source>Disconnect %1 from this support line? Their open ticket is finished, and the line takes no messages, files or calls from them until a specialist of the line restores them or the time chosen is over.</source>
        <translation>Отключить %1 от этой линии техподдержки? Открытое обращение будет завершено, а линия не будет принимать от пользователя сообщения, файлы и звонки, пока специалист линии не вернёт его или не истечёт выбранный срок.</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="75"/>
        <source>The account is blocked on each of your lines where this user is (for example, when it loads the service abnormally); each line restores it on its own</source>
        <translation>Учётная запись блокируется на каждой вашей линии, где есть этот пользователь (например, при аномальной нагрузке на сервис); восстанавливается на каждой линии отдельно</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/dialog.py" line="86"/>
        <source>Disconnect</source>
        <translation>Отключить</translation>
    </message>
</context>
<context>
    <name>DisconnectFeature</name>
    <message>
        <location filename="../../ui/disconnect/feature.py" line="234"/>
        <source>%1 is disconnected from this line: they cannot receive answers here</source>
        <translation>%1 отключён(а) от этой линии: ответы здесь не доставляются</translation>
    </message>
</context>
<context>
    <name>DisconnectedSection</name>
    <message>
        <location filename="../../ui/disconnect/section.py" line="38"/>
        <source>Restore to the line</source>
        <translation>Вернуть на линию</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/section.py" line="46"/>
        <source>Disconnected from the line</source>
        <translation>Отключён от линии</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/section.py" line="65"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/section.py" line="66"/>
        <source>Reason: %1</source>
        <translation>Причина: %1</translation>
    </message>
    <message>
        <location filename="../../ui/disconnect/section.py" line="69"/>
        <source>Until %1: then restored by itself</source>
        <translation>До %1: затем восстановится сам</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../ui/mainwindow/errors.py" line="57"/>
        <source>Something went wrong</source>
        <translation>Что-то пошло не так</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/errors.py" line="61"/>
        <source>The program keeps working. The details are in the log file.</source>
        <translation>Программа продолжает работать. Подробности записаны в журнал.</translation>
    </message>
</context>
<context>
    <name>FilesSection</name>
    <message>
        <location filename="../../ui/side/files.py" line="45"/>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <location filename="../../ui/side/files.py" line="48"/>
        <source>Save as…</source>
        <translation>Сохранить как…</translation>
    </message>
    <message>
        <location filename="../../ui/side/files.py" line="56"/>
        <source>No files in this chat</source>
        <translation>В этом чате нет файлов</translation>
    </message>
    <message>
        <location filename="../../ui/side/files.py" line="62"/>
        <source>Files</source>
        <translation>Файлы</translation>
    </message>
</context>
<context>
    <name>FunctionBar</name>
    <message>
        <location filename="../../ui/chat/function_bar.py" line="189"/>
        <source>typing…</source>
        <translation>печатает…</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <location filename="../../ui/groups/dialog.py" line="125"/>
        <source>Group members</source>
        <translation>Участники группы</translation>
    </message>
    <message>
        <location filename="../../ui/groups/dialog.py" line="125"/>
        <source>New group</source>
        <translation>Новая группа</translation>
    </message>
    <message>
        <location filename="../../ui/groups/dialog.py" line="131"/>
        <source>Group name</source>
        <translation>Название группы</translation>
    </message>
    <message>
        <location filename="../../ui/groups/dialog.py" line="136"/>
        <source>Find colleagues and users of your lines</source>
        <translation>Найти коллег и пользователей ваших линий</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/groups/dialog.py" line="177"/>
        <source>%n members with you</source>
        <translation>
            <numerusform>%n участник с вами</numerusform>
            <numerusform>%n участника с вами</numerusform>
            <numerusform>%n участников с вами</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupsFeature</name>
    <message>
        <location filename="../../ui/groups/feature.py" line="60"/>
        <source>Groups</source>
        <translation>Группы</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/groups/feature.py" line="241"/>
        <source>%n members</source>
        <translation>
            <numerusform>%n участник</numerusform>
            <numerusform>%n участника</numerusform>
            <numerusform>%n участников</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/groups/feature.py" line="242"/>
        <source>and %n more</source>
        <translation>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupsModel</name>
    <message numerus="yes">
        <location filename="../../ui/groups/model.py" line="42"/>
        <source>%n members</source>
        <translation>
            <numerusform>%n участник</numerusform>
            <numerusform>%n участника</numerusform>
            <numerusform>%n участников</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/groups/model.py" line="44"/>
        <source>and %n more</source>
        <translation>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupsSection</name>
    <message>
        <location filename="../../ui/side/groups.py" line="37"/>
        <source>No shared groups</source>
        <translation>Общих групп нет</translation>
    </message>
    <message>
        <location filename="../../ui/side/groups.py" line="43"/>
        <source>Shared groups</source>
        <translation>Общие группы</translation>
    </message>
    <message>
        <location filename="../../ui/side/groups.py" line="46"/>
        <source>members: %1</source>
        <translation>участников: %1</translation>
    </message>
</context>
<context>
    <name>InCallPanel</name>
    <message>
        <location filename="../../ui/calls/panel.py" line="38"/>
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../ui/calls/panel.py" line="59"/>
        <source>Mute</source>
        <translation>Выкл. микрофон</translation>
    </message>
    <message>
        <location filename="../../ui/calls/panel.py" line="62"/>
        <source>Hold</source>
        <translation>Удержать</translation>
    </message>
    <message>
        <location filename="../../ui/calls/panel.py" line="65"/>
        <source>Transfer…</source>
        <translation>Перевести…</translation>
    </message>
    <message>
        <location filename="../../ui/calls/panel.py" line="68"/>
        <source>Hang up</source>
        <translation>Положить трубку</translation>
    </message>
</context>
<context>
    <name>IncomingCallPopup</name>
    <message>
        <location filename="../../ui/calls/popup.py" line="51"/>
        <source>Answer</source>
        <translation>Ответить</translation>
    </message>
    <message>
        <location filename="../../ui/calls/popup.py" line="53"/>
        <source>Decline</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <location filename="../../ui/calls/popup.py" line="55"/>
        <source>Open chat</source>
        <translation>Открыть чат</translation>
    </message>
    <message>
        <location filename="../../ui/calls/popup.py" line="65"/>
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/calls/popup.py" line="93"/>
        <source>Ringing for %n s</source>
        <translation>
            <numerusform>Звонит %n с</numerusform>
            <numerusform>Звонит %n с</numerusform>
            <numerusform>Звонит %n с</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InfoPanel</name>
    <message>
        <location filename="../../ui/side/info_panel.py" line="59"/>
        <source>User&apos;s photo</source>
        <translation>Фото пользователя</translation>
    </message>
    <message>
        <location filename="../../ui/side/info_panel.py" line="69"/>
        <source>Choose a user in the list</source>
        <translation>Выберите пользователя в списке</translation>
    </message>
    <message>
        <location filename="../../ui/side/info_panel.py" line="139"/>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <location filename="../../ui/side/section.py" line="198"/>
        <location filename="../../ui/side/section.py" line="204"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location filename="../../ui/side/section.py" line="200"/>
        <source>Copy %1</source>
        <translation>Копировать: %1</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location filename="../../ui/settings/general.py" line="104"/>
        <source>As the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <location filename="../../ui/settings/general.py" line="109"/>
        <source>Interface language</source>
        <translation>Язык интерфейса</translation>
    </message>
    <message>
        <location filename="../../ui/settings/general.py" line="130"/>
        <source>Windows opened from now on use it; the main window after a restart.</source>
        <translation>Новые окна используют его сразу; главное окно — после перезапуска.</translation>
    </message>
</context>
<context>
    <name>ListPage</name>
    <message>
        <location filename="../../ui/settings/general.py" line="42"/>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/general.py" line="45"/>
        <source>Streaming lines show users active within</source>
        <translation>Потоковые линии показывают пользователей, активных за</translation>
    </message>
    <message>
        <location filename="../../ui/settings/general.py" line="48"/>
        <source>A line with more than 100 users lists those who wrote within this time and those you added to your list; search finds everyone.</source>
        <translation>Линия с более чем 100 пользователями показывает тех, кто писал за это время, и тех, кого вы добавили в свой список; поиск находит всех.</translation>
    </message>
</context>
<context>
    <name>NotificationsPage</name>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="42"/>
        <source>A client starts a new conversation</source>
        <translation>Клиент начинает новый разговор</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="44"/>
        <source>Every further message from a client</source>
        <translation>Каждое следующее сообщение клиента</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="46"/>
        <source>Alert me when (a chat not in view):</source>
        <translation>Оповещать, когда (чат не на экране):</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="53"/>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="54"/>
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="55"/>
        <source>Remind me of a new conversation nobody opened every</source>
        <translation>Напоминать о новом разговоре, который никто не открыл, каждые</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="56"/>
        <source>Play a sound</source>
        <translation>Играть звук</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="62"/>
        <source>Chime</source>
        <translation>Перезвон</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="63"/>
        <source>Bell</source>
        <translation>Колокол</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="64"/>
        <source>Knock</source>
        <translation>Стук</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="67"/>
        <source>Sound</source>
        <translation>Звук</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="70"/>
        <source>Output device</source>
        <translation>Устройство вывода</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="76"/>
        <source>Play</source>
        <translation>Прослушать</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="81"/>
        <source>Volume</source>
        <translation>Громкость</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="100"/>
        <source>The system&apos;s default</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="106"/>
        <source>%1 (not found now)</source>
        <translation>%1 (сейчас не найдено)</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="149"/>
        <source>The sound could not be played on this device: %1</source>
        <translation>Звук не удалось проиграть на этом устройстве: %1</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="150"/>
        <source>the volume is 0</source>
        <translation>громкость 0</translation>
    </message>
</context>
<context>
    <name>PbxPage</name>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="48"/>
        <source>host:port (optional)</source>
        <translation>хост:порт (необязательно)</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="49"/>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="50"/>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="51"/>
        <source>Transport</source>
        <translation>Транспорт</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="52"/>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="53"/>
        <source>Auth user</source>
        <translation>Пользователь для авторизации</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="54"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="55"/>
        <source>Display name</source>
        <translation>Отображаемое имя</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="56"/>
        <source>Outbound proxy</source>
        <translation>Исходящий прокси</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="57"/>
        <source>Record calls (both sides; kept with the call&apos;s record)</source>
        <translation>Записывать звонки (обе стороны; запись хранится с карточкой звонка)</translation>
    </message>
</context>
<context>
    <name>PeopleModel</name>
    <message>
        <location filename="../../ui/groups/dialog.py" line="75"/>
        <source>colleague</source>
        <translation>коллега</translation>
    </message>
</context>
<context>
    <name>ProblemBanner</name>
    <message>
        <location filename="../../ui/mainwindow/parts.py" line="111"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/parts.py" line="125"/>
        <source>The server explained: %1</source>
        <translation>Пояснение сервера (по-английски): %1</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="21"/>
        <source>The server cannot be reached. Check the network or the server address.</source>
        <translation>Сервер недоступен. Проверьте сеть или адрес сервера.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="24"/>
        <source>The connection to the server was lost. Reconnecting…</source>
        <translation>Связь с сервером потеряна. Переподключаемся…</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="27"/>
        <source>Working offline. Messages wait in the outbox until the server is back.</source>
        <translation>Работа без связи. Сообщения ждут отправки и уйдут, когда сервер станет доступен.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="30"/>
        <source>Wrong login or password.</source>
        <translation>Неверный логин или пароль.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="31"/>
        <source>Too many sign-in attempts. Wait a minute and try again.</source>
        <translation>Слишком много попыток входа. Подождите минуту и попробуйте снова.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="34"/>
        <source>The session has expired. Please sign in again.</source>
        <translation>Сеанс истёк. Войдите снова.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="37"/>
        <source>It is no longer there: it was deleted or you have no access to it.</source>
        <translation>Этого больше нет: объект удалён или у вас нет к нему доступа.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="40"/>
        <source>The server refused the request.</source>
        <translation>Сервер отклонил запрос.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="41"/>
        <source>The file is too large.</source>
        <translation>Файл слишком большой.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="42"/>
        <source>The server failed to process the request. Try again later.</source>
        <translation>Сервер не смог обработать запрос. Попробуйте позже.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="45"/>
        <source>The server sent a reply the program does not understand.</source>
        <translation>Сервер прислал ответ, который программа не понимает.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="48"/>
        <source>This account is not a specialist&apos;s account.</source>
        <translation>Эта учётная запись не принадлежит специалисту.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="51"/>
        <source>The server did not accept the message.</source>
        <translation>Сервер не принял сообщение.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="52"/>
        <source>The message is empty.</source>
        <translation>Сообщение пустое.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="53"/>
        <source>The message is too long (at most 10 000 characters).</source>
        <translation>Сообщение слишком длинное (не более 10 000 символов).</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="56"/>
        <source>The demo server could not be started.</source>
        <translation>Не удалось запустить демо-сервер.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="57"/>
        <source>The demo server stopped unexpectedly and was started again.</source>
        <translation>Демо-сервер неожиданно остановился и был запущен снова.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="60"/>
        <source>No system keyring is available: the password will not be remembered after the program exits.</source>
        <translation>Системное хранилище паролей недоступно: вход не будет запомнен после выхода из программы.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="64"/>
        <source>The status could not be changed.</source>
        <translation>Не удалось сменить статус.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="65"/>
        <source>You are not signed in.</source>
        <translation>Вы не вошли в систему.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="66"/>
        <source>Some changes were missed while offline; the data was reloaded.</source>
        <translation>Пока не было связи, часть изменений пропущена; данные загружены заново.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="69"/>
        <source>A colleague holds this ticket (perhaps took it a moment ago).</source>
        <translation>Обращение у коллеги (возможно, он только что его взял).</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="72"/>
        <source>This ticket is already finished.</source>
        <translation>Работа по обращению уже завершена.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="73"/>
        <source>Nobody holds this ticket yet: start work on it first.</source>
        <translation>Обращение ещё ни у кого: сначала начните работу.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="76"/>
        <source>The online monitor is for supervisors (ask your administrator).</source>
        <translation>Онлайн-монитор доступен руководителям (обратитесь к администратору).</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="79"/>
        <source>The colleague is no longer Free: the ticket stays with you.</source>
        <translation>Коллега уже не «Свободен»: обращение остаётся у вас.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="82"/>
        <source>A group takes only your colleagues and users of your lines: the group was not changed.</source>
        <translation>В группу можно добавить только ваших коллег и пользователей ваших линий: группа не изменена.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="87"/>
        <source>Only the group&apos;s creator adds and removes its members.</source>
        <translation>Добавлять и удалять участников группы может только её создатель.</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="90"/>
        <source>The user is disconnected from this line: they cannot receive answers here (restore them to the line first).</source>
        <translation>Пользователь отключён от этой линии: ответы ему здесь не доставляются (сначала верните его на линию).</translation>
    </message>
    <message>
        <location filename="../../ui/common/problem_texts.py" line="95"/>
        <source>The file did not reach the chat: the server did not answer. Send it again when the connection is back — it will not be sent twice.</source>
        <translation>Файл не дошёл до чата: сервер не ответил. Отправьте его ещё раз, когда связь восстановится, — дважды он не придёт.</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <location filename="../../ui/settings/profile.py" line="37"/>
        <source>My profile</source>
        <translation>Мой профиль</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="45"/>
        <source>Name</source>
        <translation>ФИО</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="53"/>
        <source>Position</source>
        <translation>Должность</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="54"/>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="55"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="66"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="74"/>
        <source>You have a photo.</source>
        <translation>Фото установлено.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="74"/>
        <source>No photo yet.</source>
        <translation>Фото пока нет.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="79"/>
        <source>Choose a photo…</source>
        <translation>Выбрать фото…</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="82"/>
        <source>Photo</source>
        <translation>Фото</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="117"/>
        <source>Saving…</source>
        <translation>Сохраняю…</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="126"/>
        <source>Not saved.</source>
        <translation>Не сохранено.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="129"/>
        <source>Not saved: see the field.</source>
        <translation>Не сохранено: см. поле.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="137"/>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="145"/>
        <source>The position cannot be kept as written.</source>
        <translation>Должность нельзя сохранить в таком виде.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="146"/>
        <source>This is not an e-mail address.</source>
        <translation>Это не адрес электронной почты.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="147"/>
        <source>A phone number: digits, spaces, + ( ) - and an extension.</source>
        <translation>Номер телефона: цифры, пробелы, + ( ) - и добавочный.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="151"/>
        <source>Not saved: {words}</source>
        <translation>Не сохранено: {words}</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="160"/>
        <source>Choose a photo</source>
        <translation>Выбор фото</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="162"/>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.gif)</source>
        <translation>Изображения (*.png *.jpg *.jpeg *.bmp *.gif)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="180"/>
        <source>Sending the photo…</source>
        <translation>Фото отправляется…</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="189"/>
        <source>Your photo is set.</source>
        <translation>Ваше фото установлено.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/profile.py" line="189"/>
        <source>The photo was not sent.</source>
        <translation>Фото не отправлено.</translation>
    </message>
</context>
<context>
    <name>QuickReplies</name>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="40"/>
        <source>$name, good afternoon! Your request has been received. I will answer in a few minutes.</source>
        <translation>$name, добрый день! Ваше обращение получено. Отвечу через несколько минут.</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="45"/>
        <source>Hello, $name!</source>
        <translation>Здравствуйте, $name!</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="46"/>
        <source>Is there anything else I can help you with?</source>
        <translation>Могу ли я вам ещё чем-то помочь?</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="47"/>
        <source>Thank you for contacting us, $name! All the best.</source>
        <translation>Спасибо за ваше обращение, $name! Всего доброго.</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="48"/>
        <source>$name, thank you for contacting us! Please rate our work when the request is closed: your rating helps us make our support better.</source>
        <translation>$name, спасибо за обращение! Пожалуйста, оцените нашу работу, когда обращение будет завершено: ваша оценка помогает нам сделать поддержку лучше.</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="53"/>
        <source>Let us keep our conversation businesslike and respectful; otherwise the rules require me to end it.</source>
        <translation>Давайте вернемся к разговору в деловом и уважительном стиле, в противном случае, я по инструкции должен прекратить наш разговор.</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="58"/>
        <source>$name, this support line does not answer such questions. I will transfer your request to the line you have that deals with them.</source>
        <translation>$name, эта линия поддержки не отвечает на такие вопросы. Я переведу ваше обращение на подключённую у вас линию, которая ими занимается.</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="63"/>
        <source>$name, the support line that deals with such questions is not connected for you. It can be connected: shall I tell you how?</source>
        <translation>$name, линия поддержки, которая занимается такими вопросами, у вас не подключена. Её можно подключить — подсказать, как это сделать?</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="68"/>
        <source>The product team decides when the service changes. I will pass your wish on, but I cannot name a date.</source>
        <translation>Сроки доработок сервиса определяет продуктовая команда. Я передам ваше пожелание, но назвать сроки не могу.</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="73"/>
        <source>Setting up business processes is up to your account manager. I will pass your question on, and they will contact you.</source>
        <translation>Вопросы настройки бизнес-процессов курирует ответственный менеджер. Я передам ваш вопрос, он свяжется с вами.</translation>
    </message>
</context>
<context>
    <name>QuoteBar</name>
    <message>
        <location filename="../../ui/chat/quotes.py" line="44"/>
        <source>Select a part of it to quote only that part</source>
        <translation>Выделите часть, чтобы цитировать только её</translation>
    </message>
    <message>
        <location filename="../../ui/chat/quotes.py" line="51"/>
        <source>Do not quote</source>
        <translation>Не цитировать</translation>
    </message>
    <message>
        <location filename="../../ui/chat/quotes.py" line="79"/>
        <source>%1 — the selected part:</source>
        <translation>%1 — выделенная часть:</translation>
    </message>
    <message>
        <location filename="../../ui/chat/quotes.py" line="79"/>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
</context>
<context>
    <name>RegionSection</name>
    <message>
        <location filename="../../ui/side/region.py" line="55"/>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <location filename="../../ui/side/region.py" line="56"/>
        <source>User&apos;s local time</source>
        <translation>Местное время пользователя</translation>
    </message>
    <message>
        <location filename="../../ui/side/region.py" line="67"/>
        <source>Region and time</source>
        <translation>Регион и время</translation>
    </message>
    <message>
        <location filename="../../ui/side/region.py" line="92"/>
        <source>Outside working hours there (%1:00–%2:00)</source>
        <translation>У пользователя нерабочее время (рабочее — %1:00–%2:00)</translation>
    </message>
</context>
<context>
    <name>Remote</name>
    <message>
        <location filename="../../ui/remote/texts.py" line="24"/>
        <source>The remote desktop viewer is not installed on this computer. Install it (for TigerVNC: the tigervnc-viewer package) or choose another viewer in Settings.</source>
        <translation>Программа просмотра удалённого рабочего стола не установлена на этом компьютере. Установите её (для TigerVNC — пакет tigervnc-viewer) или выберите другую в настройках.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="31"/>
        <source>The user&apos;s computer cannot be reached over the network. Ask the user to check that the computer is on and connected, or connect in reverse mode (the user&apos;s computer dials you).</source>
        <translation>Компьютер пользователя недоступен по сети. Попросите пользователя проверить, что компьютер включён и подключён к сети, или используйте обратное подключение (компьютер пользователя подключится к вам).</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="35"/>
        <source>Please check that your computer is switched on and connected to the network, then tell me in this chat.</source>
        <translation>Пожалуйста, проверьте, что ваш компьютер включён и подключён к сети, и напишите мне в этот чат.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="41"/>
        <source>The user&apos;s computer answers, but no remote desktop program is listening there. Ask the user to start it.</source>
        <translation>Компьютер пользователя отвечает, но программа удалённого доступа на нём не запущена. Попросите пользователя запустить её.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="45"/>
        <source>Please start the remote access program on your computer (for example x11vnc or TightVNC Server) and tell me in this chat when it is running.</source>
        <translation>Пожалуйста, запустите программу удалённого доступа на вашем компьютере (например, x11vnc или TightVNC Server) и напишите мне в этот чат, когда она будет запущена.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="51"/>
        <source>The password was not accepted. Ask the user for the password set on their computer and try again.</source>
        <translation>Пароль не подошёл. Уточните у пользователя пароль, заданный на его компьютере, и попробуйте снова.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="55"/>
        <source>The remote access password did not match. Please check the password set in the remote access program on your computer and send it to me.</source>
        <translation>Пароль удалённого доступа не подошёл. Пожалуйста, проверьте пароль в программе удалённого доступа на вашем компьютере и пришлите его мне.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="61"/>
        <source>The user declined the connection.</source>
        <translation>Пользователь отклонил подключение.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="62"/>
        <source>You declined the remote connection. If you would like me to connect, please press Yes when the question appears.</source>
        <translation>Вы отклонили удалённое подключение. Если вы хотите, чтобы я подключился, нажмите «Да», когда появится вопрос.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="68"/>
        <source>The user did not answer the request in time. Ask them in the chat and try again.</source>
        <translation>Пользователь не ответил на запрос вовремя. Напишите ему в чат и попробуйте снова.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="72"/>
        <source>I asked to connect to your computer, but the request was not answered. I will send it again: please press Yes when the question appears.</source>
        <translation>Я запросил подключение к вашему компьютеру, но ответа не было. Я отправлю запрос ещё раз: пожалуйста, нажмите «Да», когда появится вопрос.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="78"/>
        <source>The viewer ended without connecting. Check the viewer in Settings and try again.</source>
        <translation>Программа просмотра завершилась, не подключившись. Проверьте её в настройках и попробуйте снова.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="90"/>
        <source>waiting for the user</source>
        <translation>ждём пользователя</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="91"/>
        <source>connecting</source>
        <translation>подключение</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="92"/>
        <source>connected</source>
        <translation>подключено</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="93"/>
        <source>declined</source>
        <translation>отклонено</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="94"/>
        <source>no answer</source>
        <translation>нет ответа</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="95"/>
        <source>ended</source>
        <translation>завершено</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="96"/>
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="103"/>
        <source>by request</source>
        <translation>по запросу</translation>
    </message>
    <message>
        <location filename="../../ui/remote/texts.py" line="104"/>
        <source>by password</source>
        <translation>по паролю</translation>
    </message>
</context>
<context>
    <name>RemoteFeature</name>
    <message>
        <location filename="../../ui/remote/feature.py" line="146"/>
        <source>the Remmina window has it; end it there</source>
        <translation>сеанс в окне Remmina; завершайте его там</translation>
    </message>
    <message>
        <location filename="../../ui/remote/feature.py" line="177"/>
        <location filename="../../ui/remote/feature.py" line="220"/>
        <source>Remote desktop</source>
        <translation>Удалённый рабочий стол</translation>
    </message>
    <message>
        <location filename="../../ui/remote/feature.py" line="182"/>
        <source>Send instructions</source>
        <translation>Отправить инструкцию</translation>
    </message>
    <message>
        <location filename="../../ui/remote/feature.py" line="198"/>
        <source>Remote session ended</source>
        <translation>Сеанс удалённого доступа завершён</translation>
    </message>
    <message>
        <location filename="../../ui/remote/feature.py" line="199"/>
        <source>A short comment on the session:</source>
        <translation>Короткий комментарий к сеансу:</translation>
    </message>
    <message>
        <location filename="../../ui/remote/feature.py" line="221"/>
        <source>Remote sessions are live. Quitting ends them. Quit anyway?</source>
        <translation>Идут сеансы удалённого доступа. Выход завершит их. Всё равно выйти?</translation>
    </message>
</context>
<context>
    <name>RemotePage</name>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="40"/>
        <source>Command template</source>
        <translation>Шаблон команды</translation>
    </message>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="46"/>
        <source>Connect view only by default</source>
        <translation>По умолчанию подключаться только для просмотра</translation>
    </message>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="52"/>
        <source>Viewer</source>
        <translation>Программа просмотра</translation>
    </message>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="53"/>
        <source>Program</source>
        <translation>Путь к программе</translation>
    </message>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="54"/>
        <source>Command</source>
        <translation>Команда</translation>
    </message>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="85"/>
        <source>The command runs as written, never through a shell.</source>
        <translation>Команда запускается как написана, никогда через оболочку.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="88"/>
        <source>Warning: this command puts the password on its command line, where any user of this computer can read it. Prefer a tool that reads it from its standard input.</source>
        <translation>Внимание: эта команда передаёт пароль в командной строке, где его может прочитать любой пользователь этого компьютера. Лучше программа, читающая пароль со стандартного ввода.</translation>
    </message>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="98"/>
        <source>Not installed: %1</source>
        <translation>Не установлена: %1</translation>
    </message>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="100"/>
        <source>Found: %1</source>
        <translation>Найдена: %1</translation>
    </message>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="106"/>
        <source>Remmina runs one window for all its connections: LineDesk cannot see when a Remmina session ends; end it in Remmina&apos;s window.</source>
        <translation>Remmina ведёт все подключения в одном окне: LineDesk не видит, когда сеанс Remmina заканчивается; завершайте его в окне Remmina.</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../ui/chat/search.py" line="200"/>
        <source>Search this chat&apos;s whole history (Esc closes)</source>
        <translation>Поиск по всей истории чата (Esc — закрыть)</translation>
    </message>
    <message>
        <location filename="../../ui/chat/search.py" line="228"/>
        <source>Searching…</source>
        <translation>Ищем…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/search.py" line="246"/>
        <source>Only common words (%1): nothing to search for. Add a specific word.</source>
        <translation>Только служебные слова (%1): искать нечего. Добавьте значимое слово.</translation>
    </message>
    <message>
        <location filename="../../ui/chat/search.py" line="250"/>
        <source>Nothing found</source>
        <translation>Ничего не найдено</translation>
    </message>
    <message>
        <location filename="../../ui/chat/search.py" line="253"/>
        <source>Found: %1</source>
        <translation>Найдено: %1</translation>
    </message>
</context>
<context>
    <name>SessionsModel</name>
    <message>
        <location filename="../../ui/remote/panel.py" line="48"/>
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <location filename="../../ui/remote/panel.py" line="48"/>
        <source>Mode</source>
        <translation>Способ</translation>
    </message>
    <message>
        <location filename="../../ui/remote/panel.py" line="48"/>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <location filename="../../ui/remote/panel.py" line="48"/>
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
</context>
<context>
    <name>SessionsPanel</name>
    <message>
        <location filename="../../ui/remote/panel.py" line="99"/>
        <source>Remote sessions</source>
        <translation>Сеансы удалённого доступа</translation>
    </message>
    <message>
        <location filename="../../ui/remote/panel.py" line="119"/>
        <source>Stop</source>
        <translation>Завершить</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../ui/remote/settings_page.py" line="28"/>
        <source>Remote desktop</source>
        <translation>Удалённый рабочий стол</translation>
    </message>
    <message>
        <location filename="../../ui/calls/settings_page.py" line="19"/>
        <source>PBX connection</source>
        <translation>Подключение к АТС</translation>
    </message>
    <message>
        <location filename="../../ui/calls/audio_page.py" line="36"/>
        <source>Audio</source>
        <translation>Звук</translation>
    </message>
    <message>
        <location filename="../../ui/settings/general.py" line="18"/>
        <source>Users list</source>
        <translation>Список пользователей</translation>
    </message>
    <message>
        <location filename="../../ui/settings/general.py" line="19"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../ui/settings/general.py" line="20"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../ui/chat/settings_page.py" line="31"/>
        <source>Notifications</source>
        <translation>Уведомления</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings/dialog.py" line="31"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../ui/settings/dialog.py" line="77"/>
        <source>The settings file could not be read, so the defaults are used; the old file is kept beside it as settings.json.bad.</source>
        <translation>Файл настроек не удалось прочитать, поэтому действуют настройки по умолчанию; старый файл сохранён рядом как settings.json.bad.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/dialog.py" line="82"/>
        <source>Some settings in the settings file were not valid and are back at their defaults.</source>
        <translation>Некоторые значения в файле настроек были неверными и возвращены к значениям по умолчанию.</translation>
    </message>
</context>
<context>
    <name>SettingsFeature</name>
    <message>
        <location filename="../../ui/settings/feature.py" line="44"/>
        <source>&amp;LineDesk</source>
        <translation>&amp;LineDesk</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../ui/mainwindow/signin.py" line="27"/>
        <source>Sign in to LineDesk</source>
        <translation>Вход в LineDesk</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/signin.py" line="39"/>
        <source>Remember me</source>
        <translation>Запомнить меня</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/signin.py" line="42"/>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/signin.py" line="43"/>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/signin.py" line="44"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/signin.py" line="58"/>
        <source>Sign in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/signin.py" line="69"/>
        <source>Enter the server address, the login and the password.</source>
        <translation>Укажите адрес сервера, логин и пароль.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../ui/mainwindow/status.py" line="25"/>
        <source>Free</source>
        <translation>Свободен</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/status.py" line="26"/>
        <source>Away</source>
        <translation>Нет на месте</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/status.py" line="27"/>
        <source>Busy for new tickets</source>
        <translation>Занят для новых обращений</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/status.py" line="28"/>
        <source>Do not disturb</source>
        <translation>Не беспокоить</translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <location filename="../../ui/mainwindow/status_area.py" line="59"/>
        <source>My profile</source>
        <translation>Мой профиль</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/status_area.py" line="124"/>
        <source>Your status</source>
        <translation>Ваш статус</translation>
    </message>
</context>
<context>
    <name>StatusPage</name>
    <message>
        <location filename="../../ui/settings/general.py" line="71"/>
        <source>Set me Away when I am idle</source>
        <translation>Ставить «Нет на месте», когда я не за компьютером</translation>
    </message>
    <message>
        <location filename="../../ui/settings/general.py" line="76"/>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <location filename="../../ui/settings/general.py" line="82"/>
        <source>Idle for</source>
        <translation>Без активности</translation>
    </message>
</context>
<context>
    <name>SupportSection</name>
    <message>
        <location filename="../../ui/side/support.py" line="47"/>
        <source>Support parameters</source>
        <translation>Параметры сопровождения</translation>
    </message>
    <message>
        <location filename="../../ui/side/support.py" line="56"/>
        <source>Ended on %1</source>
        <translation>Закончился %1</translation>
    </message>
    <message>
        <location filename="../../ui/side/support.py" line="59"/>
        <source>Ends on %1 (days left: %2)</source>
        <translation>Заканчивается %1 (осталось дней: %2)</translation>
    </message>
    <message>
        <location filename="../../ui/side/support.py" line="70"/>
        <source>until %1</source>
        <translation>до %1</translation>
    </message>
    <message>
        <location filename="../../ui/side/support.py" line="71"/>
        <source>Access to this line</source>
        <translation>Доступ к линии</translation>
    </message>
</context>
<context>
    <name>Text</name>
    <message>
        <location filename="../../ui/common/text.py" line="56"/>
        <source>“%1”</source>
        <translation>«%1»</translation>
    </message>
</context>
<context>
    <name>TextDialog</name>
    <message>
        <location filename="../../ui/common/text_dialog.py" line="59"/>
        <source>Too long: at most %1 characters</source>
        <translation>Слишком длинно: не больше %1 символов</translation>
    </message>
</context>
<context>
    <name>TicketCommands</name>
    <message>
        <location filename="../../ui/tickets/commands.py" line="208"/>
        <source>Finish work</source>
        <translation>Завершить работу</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="209"/>
        <source>The user&apos;s last message has no answer yet. Finish anyway?</source>
        <translation>Последнее сообщение пользователя ещё без ответа. Всё равно завершить?</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/commands.py" line="211"/>
        <source>Do not finish while the question is not solved: transfer it instead.</source>
        <translation>Не завершайте работу, пока вопрос не решён: лучше переведите обращение.</translation>
    </message>
</context>
<context>
    <name>Tickets</name>
    <message>
        <location filename="../../ui/tickets/holder.py" line="67"/>
        <source>In the queue</source>
        <translation>В очереди</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/holder.py" line="54"/>
        <source>unanswered %1</source>
        <translation>без ответа %1</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/holder.py" line="68"/>
        <source>Waits %1</source>
        <translation>Ждёт %1</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/holder.py" line="70"/>
        <source>Your ticket</source>
        <translation>Ваше обращение</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/holder.py" line="77"/>
        <location filename="../../ui/tickets/steps.py" line="27"/>
        <location filename="../../ui/tickets/steps.py" line="32"/>
        <source>a colleague</source>
        <translation>коллега</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/holder.py" line="79"/>
        <source>With %1</source>
        <translation>Ведёт %1</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/holder.py" line="94"/>
        <source>%1 min</source>
        <translation>%1 мин</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/holder.py" line="98"/>
        <source>%1 h %2 min</source>
        <translation>%1 ч %2 мин</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/holder.py" line="101"/>
        <source>%1 d %2 h</source>
        <translation>%1 д %2 ч</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="37"/>
        <source>%1 started work</source>
        <translation>%1 начал(а) работу</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="39"/>
        <source>Ticket opened by a file</source>
        <translation>Обращение открыто файлом</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="40"/>
        <source>Ticket opened by a call</source>
        <translation>Обращение открыто звонком</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="41"/>
        <source>Ticket opened by a remote session</source>
        <translation>Обращение открыто сеансом удалённого доступа</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="46"/>
        <source>Ticket opened by a message</source>
        <translation>Обращение открыто сообщением</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="50"/>
        <source>%2 does not disturb: the ticket went to %1</source>
        <translation>%2 в режиме «Не беспокоить»: обращение передано %1</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="54"/>
        <source>The ticket went to %1</source>
        <translation>Обращение назначено: %1</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="57"/>
        <source>%2 does not disturb: the ticket waits in the queue</source>
        <translation>%2 в режиме «Не беспокоить»: обращение ждёт в очереди</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="60"/>
        <source>The ticket waits in the queue</source>
        <translation>Обращение ждёт в очереди</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="62"/>
        <source>Outside the line&apos;s working hours: the ticket waits for them</source>
        <translation>Вне рабочего времени линии: обращение ждёт его начала</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="67"/>
        <source>%1 took the ticket from %2</source>
        <translation>%1 взял(а) обращение у %2</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="68"/>
        <source>%1 took the ticket</source>
        <translation>%1 взял(а) обращение</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="70"/>
        <source>%2 transferred the ticket to the line “%3”</source>
        <translation>%2 перевёл(а) обращение на линию «%3»</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="77"/>
        <source>%2 transferred the ticket to the second line (vendor)</source>
        <translation>%2 перевёл(а) обращение на вторую линию (вендору)</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="79"/>
        <source>%2 transferred the ticket back to the first line</source>
        <translation>%2 вернул(а) обращение обратно на первую линию</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="85"/>
        <source>%2 transferred the ticket to %1</source>
        <translation>%2 перевёл(а) обращение на %1</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="89"/>
        <source>Work finished automatically (no activity)</source>
        <translation>Работа завершена автоматически (нет активности)</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="92"/>
        <source>%1 finished work</source>
        <translation>%1 завершил(а) работу</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="95"/>
        <source>%1 ended a remote session</source>
        <translation>%1 завершил(а) сеанс удалённого доступа</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="100"/>
        <source>%1 disconnected the user from the line</source>
        <translation>%1 отключил(а) пользователя от линии</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="103"/>
        <source>%1 commented on the ticket</source>
        <translation>%1 оставил(а) комментарий к обращению</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/steps.py" line="106"/>
        <source>The user rated the work %1 of 5</source>
        <translation>Пользователь оценил работу на %1 из 5</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="78"/>
        <source>Transfer the ticket</source>
        <translation>Перевод обращения</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="82"/>
        <source>Find a colleague</source>
        <translation>Найти коллегу</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="87"/>
        <source>This ticket has been transferred already: the working rules advise transferring a ticket no more than once.</source>
        <translation>Это обращение уже переводили: правила работы рекомендуют переводить обращение не более одного раза.</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="109"/>
        <source>To the line “%1”</source>
        <translation>На линию «%1»</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="125"/>
        <source>Not Free: %1</source>
        <translation>Не «Свободен»: %1</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="128"/>
        <source>Handover note for the colleague (optional)</source>
        <translation>Записка для коллеги (необязательно)</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="138"/>
        <source>Transfer</source>
        <translation>Перевести</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="153"/>
        <source>%1 of %2 open</source>
        <translation>открыто %1 из %2</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="156"/>
        <source>%1 local time</source>
        <translation>местное время %1</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="200"/>
        <source>second line (vendor)</source>
        <translation>вторая линия (вендор)</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="201"/>
        <source>first line</source>
        <translation>первая линия</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="206"/>
        <source>To the second line (vendor)</source>
        <translation>На вторую линию (вендору)</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/transfer.py" line="207"/>
        <source>Back to the first line</source>
        <translation>Обратно на первую линию</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="129"/>
        <source>Quick replies</source>
        <translation>Быстрые ответы</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="137"/>
        <source>Type to filter, Enter to insert</source>
        <translation>Печатайте для поиска, Enter — вставить</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="145"/>
        <source>Keep what I am writing</source>
        <translation>Сохранить то, что я пишу</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/quick_replies.py" line="150"/>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="36"/>
        <source>Online monitor</source>
        <translation>Онлайн-монитор</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="45"/>
        <source>Specialist</source>
        <translation>Специалист</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="46"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="47"/>
        <source>Load</source>
        <translation>Загрузка</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="48"/>
        <source>Tickets on the line</source>
        <translation>Обращений на линии</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="64"/>
        <source>In the queue: %1 · the longest waits %2 min</source>
        <translation>В очереди: %1 · дольше всех ждёт %2 мин</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="75"/>
        <source>Today: %1 finished, %2 rated, average rating %3</source>
        <translation>Сегодня: завершено %1, оценено %2, средняя оценка %3</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/monitor.py" line="162"/>
        <source>Queue of the line: %1</source>
        <translation>Очередь линии: %1</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/comment_dialog.py" line="16"/>
        <source>Comment on the ticket</source>
        <translation>Комментарий к обращению</translation>
    </message>
    <message>
        <location filename="../../ui/tickets/comment_dialog.py" line="20"/>
        <source>For your colleagues of the line: the user does not see it</source>
        <translation>Для коллег по линии: пользователь его не видит</translation>
    </message>
</context>
<context>
    <name>TicketsSection</name>
    <message>
        <location filename="../../ui/side/tickets.py" line="45"/>
        <source>No tickets yet</source>
        <translation>Обращений ещё не было</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="51"/>
        <source>Tickets</source>
        <translation>Обращения</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="55"/>
        <source>by a message</source>
        <translation>сообщением</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="56"/>
        <source>by a file</source>
        <translation>файлом</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="57"/>
        <source>by a call</source>
        <translation>звонком</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="58"/>
        <source>by a remote session</source>
        <translation>сеансом удалённого доступа</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="59"/>
        <source>by Start work</source>
        <translation>кнопкой «Начать работу»</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="63"/>
        <source>in the queue</source>
        <translation>в очереди</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="65"/>
        <source>open now</source>
        <translation>открыто сейчас</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="67"/>
        <source>finished %1</source>
        <translation>завершено %1</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="71"/>
        <source>Ticket %1</source>
        <translation>Обращение %1</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="72"/>
        <source>Opened %1</source>
        <translation>Открыто %1</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="74"/>
        <source>Holder: %1</source>
        <translation>Специалист: %1</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="74"/>
        <source>nobody</source>
        <translation>никто</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="77"/>
        <source>Finished %1</source>
        <translation>Завершено %1</translation>
    </message>
    <message>
        <location filename="../../ui/side/tickets.py" line="79"/>
        <source>Rating: %1 of 5</source>
        <translation>Оценка: %1 из 5</translation>
    </message>
</context>
<context>
    <name>TransferBar</name>
    <message>
        <location filename="../../ui/chat/files.py" line="72"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
</context>
<context>
    <name>TransferCallDialog</name>
    <message>
        <location filename="../../ui/calls/transfer.py" line="83"/>
        <source>Transfer the call</source>
        <translation>Перевод звонка</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="86"/>
        <source>Number or SIP address</source>
        <translation>Номер или SIP-адрес</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="107"/>
        <source>Transfer</source>
        <translation>Перевести</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="113"/>
        <source>To a colleague:</source>
        <translation>Коллеге:</translation>
    </message>
    <message>
        <location filename="../../ui/calls/transfer.py" line="115"/>
        <source>Or to a number:</source>
        <translation>Или на номер:</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../ui/mainwindow/tray.py" line="55"/>
        <location filename="../../ui/mainwindow/tray.py" line="91"/>
        <source>Show the window</source>
        <translation>Показать окно</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow/tray.py" line="57"/>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow/tray.py" line="86"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n непрочитанное</numerusform>
            <numerusform>%n непрочитанных</numerusform>
            <numerusform>%n непрочитанных</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow/tray.py" line="89"/>
        <source>Show the window (%n unread)</source>
        <translation>
            <numerusform>Показать окно (%n непрочитанное)</numerusform>
            <numerusform>Показать окно (%n непрочитанных)</numerusform>
            <numerusform>Показать окно (%n непрочитанных)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UserCommands</name>
    <message>
        <location filename="../../ui/clients/user_menu.py" line="53"/>
        <source>Copy name</source>
        <translation>Копировать ФИО</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_menu.py" line="55"/>
        <source>Copy login</source>
        <translation>Копировать логин</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_menu.py" line="57"/>
        <source>Copy phone</source>
        <translation>Копировать телефон</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_menu.py" line="99"/>
        <source>Remove from my list</source>
        <translation>Убрать из моего списка</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_menu.py" line="99"/>
        <source>Add to my list</source>
        <translation>Добавить в мой список</translation>
    </message>
</context>
<context>
    <name>UserFilterControls</name>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="75"/>
        <source>Ticket open on me</source>
        <translation>Обращение открыто на мне</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="76"/>
        <source>Unread</source>
        <translation>Непрочитанные</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="77"/>
        <source>Waiting for an answer</source>
        <translation>Ждут ответа</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="78"/>
        <source>Waiting for me</source>
        <translation>Ждут моего ответа</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="79"/>
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="80"/>
        <source>Birthday today</source>
        <translation>День рождения сегодня</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="81"/>
        <source>Favourites</source>
        <translation>Избранные</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="95"/>
        <location filename="../../ui/clients/user_filter.py" line="202"/>
        <source>Clear the filter</source>
        <translation>Сбросить фильтр</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="183"/>
        <source>Company: %1</source>
        <translation>Компания: %1</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="189"/>
        <source>Company…</source>
        <translation>Компания…</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="197"/>
        <source>Filter: %1</source>
        <translation>Фильтр: %1</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="199"/>
        <source>Filter the list</source>
        <translation>Фильтр списка</translation>
    </message>
    <message>
        <location filename="../../ui/clients/user_filter.py" line="201"/>
        <source>Filter: %1 ✕</source>
        <translation>Фильтр: %1 ✕</translation>
    </message>
</context>
<context>
    <name>UsersDelegate</name>
    <message>
        <location filename="../../ui/clients/users_delegate.py" line="334"/>
        <source>Message deleted</source>
        <translation>Сообщение удалено</translation>
    </message>
    <message>
        <location filename="../../ui/clients/users_delegate.py" line="336"/>
        <source>You: </source>
        <translation>Вы: </translation>
    </message>
    <message>
        <location filename="../../ui/clients/users_delegate.py" line="367"/>
        <source>In my favourites</source>
        <translation>В моём избранном</translation>
    </message>
    <message>
        <location filename="../../ui/clients/users_delegate.py" line="371"/>
        <source>Signed in on a phone</source>
        <translation>Вошёл с мобильного телефона</translation>
    </message>
    <message>
        <location filename="../../ui/clients/row_marks.py" line="44"/>
        <source>Birthday: %1 (age %2)</source>
        <translation>День рождения: %1 (возраст: %2)</translation>
    </message>
    <message>
        <location filename="../../ui/clients/row_marks.py" line="49"/>
        <source>today!</source>
        <translation>сегодня!</translation>
    </message>
    <message>
        <location filename="../../ui/clients/row_marks.py" line="55"/>
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message>
        <location filename="../../ui/clients/row_marks.py" line="57"/>
        <source>Away</source>
        <translation>Отошёл</translation>
    </message>
    <message>
        <location filename="../../ui/clients/row_marks.py" line="58"/>
        <source>Offline</source>
        <translation>Не в сети</translation>
    </message>
    <message>
        <location filename="../../ui/clients/row_marks.py" line="108"/>
        <source>Disconnected from the line by %1, %2: %3</source>
        <translation>Отключён от линии: %1, %2 — %3</translation>
    </message>
</context>
<context>
    <name>UsersPane</name>
    <message>
        <location filename="../../ui/clients/pane.py" line="79"/>
        <source>Support line</source>
        <translation>Линия поддержки</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="84"/>
        <source>Search: name, login, e-mail, company, INN</source>
        <translation>Поиск: ФИО, логин, e-mail, компания, ИНН</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="89"/>
        <source>Filter</source>
        <translation>Фильтр</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/clients/pane.py" line="341"/>
        <source>%n users</source>
        <translation>
            <numerusform>%n пользователь</numerusform>
            <numerusform>%n пользователя</numerusform>
            <numerusform>%n пользователей</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="377"/>
        <source>Loading users…</source>
        <translation>Загрузка пользователей…</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="379"/>
        <source>Nobody found</source>
        <translation>Никто не найден</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="381"/>
        <source>Nobody matches the filter</source>
        <translation>Никто не подходит под фильтр</translation>
    </message>
    <message>
        <location filename="../../ui/clients/pane.py" line="383"/>
        <source>No users on this line</source>
        <translation>На этой линии нет пользователей</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/clients/pane.py" line="390"/>
        <source>Streaming mode: %n users with no messages for %1 days are not shown. Change…</source>
        <translation>
            <numerusform>Потоковый режим: не показан %n пользователь без сообщений за %1 дн. Изменить…</numerusform>
            <numerusform>Потоковый режим: не показаны %n пользователя без сообщений за %1 дн. Изменить…</numerusform>
            <numerusform>Потоковый режим: не показаны %n пользователей без сообщений за %1 дн. Изменить…</numerusform>
        </translation>
    </message>
</context>
</TS>

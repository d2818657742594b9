<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ChatFold</name>
    <message numerus="yes">
        <location filename="../../ui/chat/fold.py" line="152"/>
        <source>Show all (%n lines)</source>
        <translation>
            <numerusform>Show all (%n line)</numerusform>
            <numerusform>Show all (%n lines)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CompaniesModel</name>
    <message numerus="yes">
        <location filename="../../ui/clients/company_picker.py" line="66"/>
        <source>%n users on the line</source>
        <translation>
            <numerusform>%n user on the line</numerusform>
            <numerusform>%n users on the line</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CompanyPicker</name>
    <message numerus="yes">
        <location filename="../../ui/clients/company_picker.py" line="162"/>
        <source>%n companies</source>
        <translation>
            <numerusform>%n company</numerusform>
            <numerusform>%n companies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message numerus="yes">
        <location filename="../../ui/mainwindow/parts.py" line="66"/>
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>Reconnecting in %n s</numerusform>
            <numerusform>Reconnecting in %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message numerus="yes">
        <location filename="../../ui/groups/dialog.py" line="177"/>
        <source>%n members with you</source>
        <translation>
            <numerusform>%n member with you</numerusform>
            <numerusform>%n members with you</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupsFeature</name>
    <message numerus="yes">
        <location filename="../../ui/groups/feature.py" line="241"/>
        <source>%n members</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/groups/feature.py" line="242"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupsModel</name>
    <message numerus="yes">
        <location filename="../../ui/groups/model.py" line="42"/>
        <source>%n members</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/groups/model.py" line="44"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IncomingCallPopup</name>
    <message numerus="yes">
        <location filename="../../ui/calls/popup.py" line="93"/>
        <source>Ringing for %n s</source>
        <translation>
            <numerusform>Ringing for %n s</numerusform>
            <numerusform>Ringing for %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message numerus="yes">
        <location filename="../../ui/mainwindow/tray.py" line="86"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow/tray.py" line="89"/>
        <source>Show the window (%n unread)</source>
        <translation>
            <numerusform>Show the window (%n unread)</numerusform>
            <numerusform>Show the window (%n unread)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsersPane</name>
    <message numerus="yes">
        <location filename="../../ui/clients/pane.py" line="341"/>
        <source>%n users</source>
        <translation>
            <numerusform>%n user</numerusform>
            <numerusform>%n users</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/clients/pane.py" line="390"/>
        <source>Streaming mode: %n users with no messages for %1 days are not shown. Change…</source>
        <translation>
            <numerusform>Streaming mode: %n user with no messages for %1 days is not shown. Change…</numerusform>
            <numerusform>Streaming mode: %n users with no messages for %1 days are not shown. Change…</numerusform>
        </translation>
    </message>
</context>
</TS>
